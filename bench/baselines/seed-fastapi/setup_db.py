# Not from the tutorial: the bench's set-up of the seed app's database, through the tutorial's own ORM models.
# The tutorial made its tables by hand in MySQL (CREATE TABLE user ...; ALTER TABLE todo ADD COLUMN user_id) and
# gave its todos an owner with `UPDATE todo SET user_id = 1`, since its POST /todos does not set one.
#
#   /usr/bin/python3 setup_db.py tables               create the tables (todo, user)
#   /usr/bin/python3 setup_db.py todos <username> <n>  add n todos owned by that user
import sys

from database.connection import SessionFactory, engine
from database.orm import Base, ToDo, User
from sqlalchemy import select

if sys.argv[1] == "tables":
    Base.metadata.create_all(bind=engine)
elif sys.argv[1] == "todos":
    session = SessionFactory()
    user = session.scalar(select(User).where(User.username == sys.argv[2]))
    for i in range(int(sys.argv[3])):
        session.add(ToDo(content=f"todo number {i}", is_done=i % 2 == 0, user_id=user.id))
    session.commit()
    session.close()
else:
    raise SystemExit(f"unknown command {sys.argv[1]}")
