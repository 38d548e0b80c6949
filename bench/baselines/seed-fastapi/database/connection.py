# From the tutorial's src/database/connection.py (Section 06 uses it as `get_db` and `SessionFactory`; the file
# itself was written in an earlier section, not in the seed text: reconstructed as the course gives it).
# Changed: the URL comes from SEED_DATABASE_URL (the tutorial hard-codes mysql+pymysql://root:todos@127.0.0.1/todos;
# Spruce's target runs on PostgreSQL), `echo` from SEED_ECHO (the course's create_engine(..., echo=True) is the
# default here, as written; SEED_ECHO=0 turns the SQL logging off), and SQLite needs check_same_thread=False
# because FastAPI runs the sync handlers in a thread pool.
import os

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

DATABASE_URL = os.environ["SEED_DATABASE_URL"]

engine = create_engine(
    DATABASE_URL,
    echo=os.environ.get("SEED_ECHO", "1") == "1",
    **({"connect_args": {"check_same_thread": False}} if DATABASE_URL.startswith("sqlite") else {}),
)
SessionFactory = sessionmaker(autocommit=False, autoflush=False, bind=engine)


def get_db():
    session = SessionFactory()
    try:
        yield session
    finally:
        session.close()
