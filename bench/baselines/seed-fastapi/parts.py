# Not from the tutorial: where the seed app's GET /todos spends its CPU, part by part, one thread, no HTTP.
# Each part runs as FastAPI 0.92 runs it for that route (the route's own response field and encoder), timed with
# process_time over many iterations after a warm-up. Needs a database set up as bench/seed-fastapi.ts does it:
#
#   SEED_DATABASE_URL=... SEED_JWT_SECRET=... SEED_ECHO=0 /usr/bin/python3 parts.py <username>
import sys
import time

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api.todo import get_todos_handler
from database.connection import SessionFactory
from database.repository import UserRepository
from main import app
from schema.response import ToDoListSchema, ToDoSchema
from service.user import UserService

username = sys.argv[1]
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
service = UserService()
token = service.create_jwt(username=username)
route = next(r for r in app.routes if getattr(r, "path", None) == "/todos")


def timed(name, work):
    for _ in range(200):
        work()
    start = time.process_time()
    for _ in range(iterations):
        work()
    micros = (time.process_time() - start) / iterations * 1e6
    print(f"{name:58} {micros:8.1f} µs")
    return micros


def query():
    session = SessionFactory()
    try:
        return UserRepository(session).get_user_by_username(username=username)
    finally:
        session.close()


session = SessionFactory()
user = UserRepository(session).get_user_by_username(username=username)
todos = list(user.todos)
answer = ToDoListSchema(todos=[ToDoSchema.from_orm(todo) for todo in todos])


def handler():
    session = SessionFactory()
    try:
        return get_todos_handler(token, None, service, UserRepository(session), None)
    finally:
        session.close()


def serialize():
    value, errors = route.response_field.validate(answer, {}, loc=("response",))
    return JSONResponse(jsonable_encoder(value)).body


print(f"{len(todos)} todos, {iterations} iterations each")
timed("decode_jwt (PyJWT HS256)", lambda: service.decode_jwt(access_token=token))
timed("session + user joined with its todos (SQLAlchemy ORM)", query)
timed("ToDoListSchema from 20 ORM rows (from_orm)", lambda: ToDoListSchema(todos=[ToDoSchema.from_orm(t) for t in todos]))
timed("response: validate as response model + jsonable_encoder + JSON", serialize)
timed("the whole handler (session, decode, query, schema)", handler)
session.close()
