# From the tutorial's src/database/repository.py. UserRepository (save_user, get_user_by_username) is Section 06's,
# as written. ToDoRepository's constructor is the one the seed's GET /todos handler depends on; its methods come
# from an earlier section (not in the seed text), so only the list query is reconstructed here: GET /todos does not
# call it (it reads user.todos), it only opens the repository.
from typing import List

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from database.connection import get_db
from database.orm import ToDo, User


class ToDoRepository:
    def __init__(self, session: Session = Depends(get_db)):
        self.session = session

    def get_todos(self) -> List[ToDo]:
        return list(self.session.scalars(select(ToDo)))


class UserRepository:
    def __init__(self, session: Session = Depends(get_db)):
        self.session = session

    def save_user(self, user: User) -> User:
        self.session.add(instance=user)
        self.session.commit()
        self.session.refresh(instance=user)
        return user

    def get_user_by_username(self, username: str) -> User | None:
        return self.session.scalar(
            select(User).where(username == User.username)
        )
