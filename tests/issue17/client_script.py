"""A library user's script: import a generated client, call it sync and async.

Run by test_client.py against a real local upstream (``python client_script.py URL``),
and checked with ``mypy --strict``. It prints ``ok`` when every expectation held.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, assert_type

import httpx
from typed_shop import Client, ClientError, SyncClient, UpstreamError, UpstreamUnreachable
from typed_shop.client import GetItemResult


def check_item(item: GetItemResult) -> None:
    assert item["id"] == 7, item  # "7" upstream, integer by the spec
    assert item["name"] == "lamp"
    assert item["price"] == 12.5
    assert item["active"] is True
    assert item["owner"]["login"] == "ada"
    tags = item["tags"]
    assert tags is not None and [tag["label"] for tag in tags] == ["x", "y"]


def check_sync(base_url: str) -> None:
    client = SyncClient(base_url=base_url)
    item = client.get_item(id_="7", tags=["a", "b"], limit=2)
    assert_type(item, GetItemResult)
    check_item(item)
    listing = client.list_items()
    assert_type(listing, list[Any])
    assert listing == [{"id": 1}, {"id": 2}]
    raw = client.get_item_response(id_="7")
    assert_type(raw, httpx.Response)
    assert raw.status_code == 200
    try:
        client.get_item(id_="missing")
    except UpstreamError as exc:
        status: int = exc.status
        body: Any = exc.body
        assert status == 404 and body == {"error": "no such item"}, (status, body)
    else:
        raise AssertionError("a 404 must raise UpstreamError")


async def check_async(base_url: str) -> int:
    client = Client(base_url=base_url)
    item = await client.get_item(id_="7")
    assert_type(item, GetItemResult)
    check_item(item)
    try:
        await client.get_item(id_="missing")
    except ClientError as exc:  # the base class of every client error
        assert isinstance(exc, UpstreamError) and exc.status == 404
    unreachable = Client(base_url="http://127.0.0.1:9")
    try:
        await unreachable.list_items()
    except UpstreamUnreachable as exc:
        assert exc.status == 502 and exc.body is None
    else:
        raise AssertionError("a refused connection must raise UpstreamUnreachable")
    created = await client.create_item(body={"name": "desk"})
    return len(str(created))


def main() -> None:
    base_url = sys.argv[1]
    check_sync(base_url)
    asyncio.run(check_async(base_url))
    asyncio.run(check_async(base_url))  # a second event loop gets its own pool
    print("ok")


if __name__ == "__main__":
    main()
