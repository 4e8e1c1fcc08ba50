"""Teams and bereikbaarheid duties live in :mod:`web.routers.groepen` (one small router for both)."""

from fastapi import APIRouter

router = APIRouter()
