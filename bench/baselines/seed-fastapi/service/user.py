# From the tutorial's src/service/user.py, Section 06: bcrypt hashing and checking, pyjwt HS256 tokens with
# "sub" = username and a one-day "exp". As written, except that the secret comes from SEED_JWT_SECRET (the
# tutorial has a literal key in the class; the bench passes a random one).
import os
from datetime import timedelta, datetime

import bcrypt
import jwt


class UserService:
    encoding: str = "UTF-8"
    secret_key: str = os.environ["SEED_JWT_SECRET"]
    jwt_algorithm: str = "HS256"

    def hash_password(self, plain_password: str) -> str:
        hashed_password: bytes = bcrypt.hashpw(
            plain_password.encode(self.encoding),
            salt=bcrypt.gensalt()
        )
        return hashed_password.decode(self.encoding)

    def verify_password(
        self,
        plain_password: str,
        hashed_password: str,
    ) -> bool:
        return bcrypt.checkpw(
            plain_password.encode(self.encoding),
            hashed_password.encode(self.encoding),
        )

    def create_jwt(self, username: str) -> str:
        return jwt.encode(
            {
                "sub": username,
                "exp": datetime.now() + timedelta(days=1)
            },
            self.secret_key,
            algorithm=self.jwt_algorithm,
        )

    def decode_jwt(self, access_token: str) -> str:
        payload: dict = jwt.decode(
            access_token,
            self.secret_key,
            algorithms=[self.jwt_algorithm],
        )

        # expire
        return payload["sub"]
