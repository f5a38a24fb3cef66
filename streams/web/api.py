"""The JSON query API on the worker's faust web server: ``/api/...``.

Every worker answers for the whole key space:
- one identity or article lives in one table partition, owned by one worker: the worker asked
  finds the owner with faust's table routing (``app.router.key_store``, from the partition
  assignment every worker shares; each worker advertises its own canonical URL, from its web host
  and port) and asks it (``/api/local/...``), or answers itself when it is the owner;
- top lists, trending and the feed are a fan-out: every worker of the group answers for its own
  partitions and the worker asked merges (exact, since an identity never spans workers).
``/api/local/...`` are those per-worker answers; they need the token like everything else.
"""

import asyncio
import json
import logging
import time
from typing import Awaitable, Callable

import aiohttp
from aiokafka.errors import KafkaError
from faust.web import Request, Response, View
from pydantic import BaseModel

from schemas.aggregates import (
    ApiError,
    FeedResponse,
    ProfileResponse,
    RankedIdentity,
    StatementView,
    TopResponse,
    TrendingItem,
    TrendingResponse,
)
from streams.aggregates import query
from streams.aggregates.facts import NOMINAL
from streams.aggregates.identity import group_key
from streams.aggregates.tables import Aggregates, TableReader
from streams.aggregates.windows import Bucket, bucket_of
from streams.web import params as P
from streams.web.auth import TokenCheck

log = logging.getLogger(__name__)

PEER_TIMEOUT_S = 10.0
# Types tried, in order, when a name is looked up without one.
SPEAKER_TYPES = ("PERSON", NOMINAL, "ORG", "GPE", "NORP")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")


class ApiFailure(Exception):
    def __init__(self, status: int, error: str, detail: list[str] | None = None):
        super().__init__(error)
        self.status, self.error, self.detail = status, error, detail or []


class Api:
    """The answers; the HTTP views in ``register`` only parse, check the token and serialise."""

    def __init__(self, ws, aggregates: Aggregates):
        self.ws = ws
        self.a = aggregates
        self.reader = TableReader(aggregates)
        self.auth = TokenCheck(ws.settings.api_token)

    # --- where things are -------------------------------------------------------------------
    @property
    def me(self) -> str:
        return str(self.ws.app.conf.canonical_url).rstrip("/")

    def workers(self) -> list[str]:
        """Every worker of the group that holds table partitions, from the shared assignment."""
        hosts = {str(url).rstrip("/") for url in self.ws.app.router.tables_metadata()}
        return sorted(hosts | {self.me})

    async def owner(self, table_name: str, key: bytes) -> str:
        # faust hashes the key with the producer's metadata of the table's changelog topic, which the
        # producer only has once it has written to it: fetch it first (a worker just started, or
        # one whose aggregates have written nothing yet, would otherwise fail on every request).
        topic = self.ws.app.tables[table_name].changelog_topic.get_topic_name()
        try:
            await asyncio.wait_for(self.ws.app.producer._ensure_producer().partitions_for(topic), PEER_TIMEOUT_S)
            return str(self.ws.app.router.key_store(table_name, key)).rstrip("/")
        except (KeyError, TypeError, asyncio.TimeoutError, KafkaError):
            raise ApiFailure(503, "the group is rebalancing: no owner for this key yet, try again") from None

    async def ask(self, url: str, path: str, args: dict) -> dict | None:
        """GET a peer's ``/api/local/...``; None on 404."""
        session = self.ws.app.http_client
        try:
            async with session.get(url + path, params={k: str(v) for k, v in args.items() if v is not None},
                                   headers=self.auth.headers(),
                                   timeout=aiohttp.ClientTimeout(total=PEER_TIMEOUT_S)) as response:
                if response.status == 404:
                    return None
                if response.status != 200:
                    raise ApiFailure(503, f"worker {url} answered {response.status}")
                return json.loads(await response.read())
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ApiFailure(503, f"worker {url} did not answer: {type(exc).__name__}") from None

    async def everywhere(self, path: str, args: dict, local: Callable[[], dict]) -> tuple[list[dict], list[str]]:
        urls = self.workers()
        answers = await asyncio.gather(*(self._one(url, path, args, local) for url in urls))
        return list(answers), urls

    async def _one(self, url: str, path: str, args: dict, local: Callable[[], dict]) -> dict:
        return local() if url == self.me else await self.ask(url, path, args)

    # --- local answers (this worker's partitions) ----------------------------------------------
    def local_top(self, kind: str, p: P.TopParams) -> dict:
        items = query.local_top(self.reader, kind, _bucket(p.window, p.start), p.limit)
        return {"items": [i.model_dump(mode="json") for i in items]}

    def local_trending(self, p: P.TrendingParams) -> dict:
        items = query.local_trending(self.reader, p.kind, _bucket(p.window, p.start), p.limit)
        return {"items": [i.model_dump(mode="json") for i in items]}

    def local_feed(self, p: P.FeedParams) -> dict:
        items = query.local_feed(self.reader, time.time(), p.limit)
        return {"items": [i.model_dump(mode="json") for i in items]}

    def local_group(self, p: P.GroupParams) -> dict | None:
        found = query.local_profile(self.reader, p.group, p.name, p.kind, _bucket(p.window, p.start), self.me)
        return found.model_dump(mode="json") if found else None

    # --- answers for the whole group -------------------------------------------------------------
    async def top(self, kind: str, p: P.TopParams) -> TopResponse:
        answers, urls = await self.everywhere(f"/api/local/top/{kind}", p.model_dump(), lambda: self.local_top(kind, p))
        lists = [[RankedIdentity.model_validate(i) for i in a["items"]] for a in answers]
        bucket = _bucket(p.window, p.start)
        return TopResponse(kind=kind, window=p.window, start=query.when(bucket.start), end=query.when(bucket.end),
                           items=query.merge_ranked(lists, p.limit), workers=urls)

    async def trending(self, p: P.TrendingParams) -> TrendingResponse:
        answers, urls = await self.everywhere("/api/local/trending", p.model_dump(), lambda: self.local_trending(p))
        lists = [[TrendingItem.model_validate(i) for i in a["items"]] for a in answers]
        bucket = _bucket(p.window, p.start)
        return TrendingResponse(window=p.window, start=query.when(bucket.start), end=query.when(bucket.end),
                                items=query.merge_trending(lists, p.limit), workers=urls)

    async def feed(self, p: P.FeedParams) -> FeedResponse:
        answers, urls = await self.everywhere("/api/local/feed", p.model_dump(), lambda: self.local_feed(p))
        views = [StatementView.model_validate(i) for a in answers for i in a["items"]]
        views.sort(key=lambda v: (v.received_at, v.article_id, v.index), reverse=True)
        return FeedResponse(items=views[: p.limit], workers=urls)

    async def profile(self, kind: str, p: P.ProfileParams) -> ProfileResponse:
        """Without a type, the types are tried in turn: the first that quotes (speaker) or names
        (entity) the name in the window wins, else the first that knows it at all."""
        types = [p.type] if p.type else (SPEAKER_TYPES if kind == "speaker" else ENTITY_TYPES)
        known = None
        for entity_type in types:
            found = await self._group(kind, p, group_key(p.name, entity_type))
            if found and found["identity"]["statements" if kind == "speaker" else "mentions"]:
                return ProfileResponse.model_validate(found)
            known = known or found
        if known is None:
            raise ApiFailure(404, f"no {kind} named {p.name!r} in the tables")
        return ProfileResponse.model_validate(known)

    async def _group(self, kind: str, p: P.ProfileParams, group: str) -> dict | None:
        args = {**p.model_dump(), "group": group, "kind": kind}
        url = await self.owner(self.a.profiles.name, group.encode())
        if url == self.me:
            return self.local_group(P.GroupParams(**args))
        return await self.ask(url, "/api/local/group", args)

    async def article(self, article_id: str) -> dict:
        url = await self.owner(self.a.articles.name, article_id.encode())
        found = self.a.article(article_id) if url == self.me else \
            await self.ask(url, f"/api/local/article/{_quote(article_id)}", {})
        if found is None:
            raise ApiFailure(404, f"no article {article_id!r} in the tables")
        return found


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _bucket(window: str, start: int | None) -> Bucket:
    return bucket_of(window, time.time() if start is None else start)


# --- HTTP ------------------------------------------------------------------------------------------
def json_response(web: View, body: BaseModel | dict, status: int = 200) -> Response:
    data = body.model_dump_json().encode() if isinstance(body, BaseModel) else json.dumps(body).encode()
    return web.bytes(data, content_type="application/json", status=status,
                     headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def error_response(web: View, failure: ApiFailure) -> Response:
    response = json_response(web, ApiError(error=failure.error, detail=failure.detail), failure.status)
    if failure.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="wirestream"'
    return response


Handler = Callable[[View, Request], Awaitable[Response]]


def guarded(api: Api, handler: Callable[[View, Request], Awaitable[BaseModel | dict]]) -> Handler:
    """Token check, parameter errors as 400, failures as their status, answers as JSON."""

    async def view(web: View, request: Request, **_: object) -> Response:
        if not api.auth.allows(request.headers, request.cookies):
            return error_response(web, ApiFailure(401, "unauthorized: a valid bearer token is required"))
        try:
            return json_response(web, await handler(web, request))
        except P.BadParams as exc:
            return error_response(web, ApiFailure(400, "invalid query parameters", exc.errors))
        except ApiFailure as failure:
            return error_response(web, failure)

    return view


def _kind(request: Request) -> str:
    kind = request.match_info["kind"]
    if kind not in ("speakers", "entities"):
        raise ApiFailure(404, "top lists are /api/top/speakers and /api/top/entities")
    return kind


def _found(value: dict | None, what: str) -> dict:
    if value is None:
        raise ApiFailure(404, f"{what} not in this worker's tables")
    return value


def register(ws, aggregates: Aggregates) -> Api:
    api = Api(ws, aggregates)
    routes: dict[str, Callable] = {
        "/api/top/{kind}": lambda w, r: api.top(_kind(r), P.parse(P.TopParams, r.query)),
        "/api/trending": lambda w, r: api.trending(P.parse(P.TrendingParams, r.query)),
        "/api/speaker": lambda w, r: api.profile("speaker", P.parse(P.ProfileParams, r.query)),
        "/api/entity": lambda w, r: api.profile("entity", P.parse(P.ProfileParams, r.query)),
        "/api/feed": lambda w, r: api.feed(P.parse(P.FeedParams, r.query)),
        "/api/article/{article_id}": lambda w, r: api.article(r.match_info["article_id"]),
        "/api/local/top/{kind}": _sync(lambda w, r: api.local_top(_kind(r), P.parse(P.TopParams, r.query))),
        "/api/local/trending": _sync(lambda w, r: api.local_trending(P.parse(P.TrendingParams, r.query))),
        "/api/local/feed": _sync(lambda w, r: api.local_feed(P.parse(P.FeedParams, r.query))),
        "/api/local/group": _sync(lambda w, r: _found(api.local_group(P.parse(P.GroupParams, r.query)), "group")),
        "/api/local/article/{article_id}": _sync(
            lambda w, r: _found(aggregates.article(r.match_info["article_id"]), "article")),
    }
    for path, handler in routes.items():
        ws.app.page(path, name=_name(path))(guarded(api, handler))
    return api


def _sync(fun: Callable) -> Callable:
    async def run(web: View, request: Request):
        return fun(web, request)

    return run


def _name(path: str) -> str:
    return "wirestream" + path.replace("/", "-").replace("{", "").replace("}", "")
