from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema

from calibration.models import Item

api = NinjaAPI()


class ItemIn(Schema):
    text: str
    idempotency_key: str


@api.post("/items", response={201: dict})
def item_create(request: HttpRequest, data: ItemIn) -> tuple[int, dict]:
    item = Item.objects.create(text=data.text, key=data.idempotency_key)
    return 201, {"id": item.id}


@api.get("/ping")
def ping(request: HttpRequest) -> dict:
    return {"status": "ok", "version": "1"}


urlpatterns = [path("api/v1/", api.urls)]
