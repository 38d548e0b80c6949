# From the tutorial's src/api/todo.py: GET /todos exactly as Section 06 ("JWT 인증을 API에 적용하기") gives it:
# the Bearer token is decoded, the user is loaded by username with its todos joined in (lazy="joined"), and the
# list is answered as {"todos": [{"id", "content", "is_done"}, ...]}, reversed for ?order=DESC.
# Changed: ToDoSchema.model_validate (Pydantic 2) is ToDoSchema.from_orm on Debian's Pydantic 1.10.
# The course's other /todos routes (by id, create, patch, delete; earlier sections) are left out: the bench only
# reads the list, and the seed's create does not set user_id (the bench inserts the todos, as the tutorial's
# `UPDATE todo SET user_id = 1` did).
from typing import List

from fastapi import Depends, HTTPException, APIRouter

from database.orm import ToDo, User
from database.repository import ToDoRepository, UserRepository
from schema.response import ToDoListSchema, ToDoSchema
from security import get_access_token
from service.user import UserService

router = APIRouter(prefix="/todos")


@router.get("", status_code=200)
def get_todos_handler(
        access_token = Depends(get_access_token),
        order: str | None = None,
        user_service: UserService = Depends(),
        user_repo: UserRepository = Depends(),
        todo_repo: ToDoRepository = Depends(ToDoRepository),
) -> ToDoListSchema:
    username: str = user_service.decode_jwt(
        access_token=access_token,
    )

    user: User | None = user_repo.get_user_by_username(
        username=username
    )
    if not user:
        raise HTTPException(
            status_code=404,
            detail="User not found",
        )

    todos: List[ToDo] = user.todos

    if order and order == "DESC":
        return ToDoListSchema(
            todos=[
                ToDoSchema.from_orm(todo)
                for todo in todos[::-1]
            ]
        )
    else:
        return ToDoListSchema(
            todos=[
                ToDoSchema.from_orm(todo)
                for todo in todos
            ]
        )
