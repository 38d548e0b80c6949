import type { Static } from 'typebox';
import { isoStringOf } from '../../core/iso-instant.js';
import type { Principal } from '../../core/principal.js';
import { NotFoundError, DomainError } from '../../core/errors.js';
import { found } from '../../core/found.js';
import type { UsersRepository } from '../identity/index.js';
import type { Profile, ProfilesRepository } from './profiles.repository.js';
import type { Profile as ProfileView } from './profiles.schemas.js';

const userNotFound = (): DomainError => new NotFoundError('No user found with that username.');

export interface ProfileUpdateInput {
  full_name?: string | null;
  phone_number?: string | null;
  bio?: string | null;
  image?: string | null;
}

/** The profile as the API shows it. An account whose row is missing shows an empty profile with null timestamps. */
function toProfilePublic(user: { id: string; username: string }, profile: Profile | null): Static<typeof ProfileView> {
  return {
    user_id: user.id,
    username: user.username,
    full_name: profile?.fullName ?? null,
    phone_number: profile?.phoneNumber ?? null,
    bio: profile?.bio ?? null,
    image: profile?.image ?? null,
    created_at: profile ? isoStringOf(profile.createdAt) : null,
    updated_at: profile ? isoStringOf(profile.updatedAt) : null,
  };
}

export class ProfilesService {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Called when an account is registered. */
  createFor(userId: string): Promise<void> {
    return this.profiles.createEmpty(userId);
  }

  async getByUsername(username: string) {
    const user = found(await this.users.findByUsername(username), userNotFound);
    return toProfilePublic(user, await this.profiles.findByUserId(user.id));
  }

  async updateMine(caller: Principal, input: ProfileUpdateInput) {
    const profile = await this.profiles.upsert(caller.id, {
      fullName: input.full_name,
      phoneNumber: input.phone_number,
      bio: input.bio,
      image: input.image,
    });
    return toProfilePublic(caller, profile);
  }
}
