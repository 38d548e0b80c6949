# From the tutorial's src/schema/response.py. UserSchema and JWTResponse are Section 06's; ToDoSchema and
# ToDoListSchema are from an earlier section, reconstructed from the seed's test of GET /todos, which expects
# {"todos": [{"id", "content", "is_done"}, ...]}.
# Changed: the tutorial uses Pydantic 2 (`Schema.model_validate(orm_object)`, so `from_attributes`); Debian 12's
# FastAPI 0.92 runs on Pydantic 1.10, where the same operation is `from_orm` with `orm_mode`.
from typing import List

from pydantic import BaseModel


class ToDoSchema(BaseModel):
    id: int
    content: str
    is_done: bool

    class Config:
        orm_mode = True


class ToDoListSchema(BaseModel):
    todos: List[ToDoSchema]


class UserSchema(BaseModel):
    id: int
    username: str

    class Config:
        orm_mode = True


class JWTResponse(BaseModel):
    access_token: str
