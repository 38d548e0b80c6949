# From the tutorial's src/main.py (written in an earlier section; reconstructed as the course gives it): the app,
# its two routers and the health check. Run as the tutorial does, `uvicorn main:app` from this folder, without
# --reload (a development file watcher; its supervisor process would stand between the bench and the server).
from fastapi import FastAPI

from api import todo, user

app = FastAPI()
app.include_router(todo.router)
app.include_router(user.router)


@app.get("/")
def health_check_handler():
    return {"ping": "pong"}
