import { Type } from 'typebox';
import { Username } from '../users/users.schemas.js';

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export const ProfileParams = Type.Object({ username: Username });

export const ProfileUpdateBody = Type.Object(
  {
  profile_update: Type.Object(
    {
      full_name: nullable(Type.String({ maxLength: 100 })),
      phone_number: nullable(Type.String({ maxLength: 30, pattern: '^\\+?[0-9 ().-]{3,30}$' })),
      bio: nullable(Type.String({ maxLength: 2000 })),
      image: nullable(Type.String({ maxLength: 2048, format: 'uri', pattern: '^https?://[^\\s/?#]+[^\\s]*$', description: 'An http(s) URL' })),
    },
    { title: 'ProfileUpdate', description: 'Fields to change; null clears one, a missing field keeps its value.' },
  ),
  },
  { title: 'ProfileUpdateBody', examples: [{ profile_update: { full_name: 'Alice Example', bio: 'Ten years of spotless kitchens.' } }] },
);

export const Profile = Type.Object({
  user_id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  full_name: Type.Union([Type.String(), Type.Null()]),
  phone_number: Type.Union([Type.String(), Type.Null()]),
  bio: Type.Union([Type.String(), Type.Null()]),
  image: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null while the profile was never saved' }),
  updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}, { title: 'Profile' });
