import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState, SuccessNote } from '@/components/feedback';
import { TextAreaField, TextField } from '@/components/field';
import { Page } from '@/components/page';
import { useCurrentUser } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { getProfile, profileKeys, updateMyProfile, type Profile } from './api';

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

function ProfileForm({ profile }: { profile: Profile }) {
  const queryClient = useQueryClient();
  const [fullName, setFullName] = useState(profile.full_name ?? '');
  const [phone, setPhone] = useState(profile.phone_number ?? '');
  const [bio, setBio] = useState(profile.bio ?? '');
  const [image, setImage] = useState(profile.image ?? '');
  const save = useMutation({
    mutationFn: () => updateMyProfile({ full_name: orNull(fullName), phone_number: orNull(phone), bio: orNull(bio), image: orNull(image) }),
    onSuccess: (saved) => queryClient.setQueryData(profileKeys.profile(saved.username), saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="form">
      {save.isSuccess && (
        <SuccessNote>
          Saved. <Link to={`/profiles/${profile.username}`}>See your profile</Link>
        </SuccessNote>
      )}
      <ErrorAlert error={save.error} />
      <TextField label="Full name" name="full_name" autoComplete="name" maxLength={100} value={fullName} onChange={(e) => setFullName(e.target.value)} error={fieldError(save.error, 'full_name')} />
      <TextField label="Phone" name="phone_number" type="tel" autoComplete="tel" maxLength={30} value={phone} onChange={(e) => setPhone(e.target.value)} error={fieldError(save.error, 'phone_number')} />
      <TextField label="Picture URL" name="image" type="url" maxLength={2048} value={image} onChange={(e) => setImage(e.target.value)} hint="An https:// address of an image." error={fieldError(save.error, 'image')} />
      <TextAreaField label="About you" name="bio" rows={5} maxLength={2000} value={bio} onChange={(e) => setBio(e.target.value)} error={fieldError(save.error, 'bio')} />
      <Button type="submit" busy={save.isPending}>
        Save profile
      </Button>
    </form>
  );
}

export function EditProfilePage() {
  const me = useCurrentUser();
  const profile = useQuery({ queryKey: profileKeys.profile(me.name), queryFn: () => getProfile(me.name) });
  return (
    <Page title="Edit your profile" narrow>
      <QueryState query={profile} what="your profile">
        {(p) => <ProfileForm profile={p} />}
      </QueryState>
    </Page>
  );
}
