# From the tutorial's src/schema/request.py: SignUpRequest and LogInRequest are Section 06's, as written;
# CreateToDoRequest (imported by orm.py) is from an earlier section, reconstructed from ToDo.create's use of it.
from pydantic import BaseModel


class CreateToDoRequest(BaseModel):
    content: str
    is_done: bool


class SignUpRequest(BaseModel):
    username: str
    password: str


class LogInRequest(BaseModel):
    username: str
    password: str
