"""The web page served by the worker (``/ui/``): server-rendered from the same answers as the API.

Pages: home (top speakers and entities with a chart, trending, the live feed), an article with
its entities and statements marked, a speaker page and an entity page, and a login form for when
a token is set. Every page goes out with a Content-Security-Policy that allows only this
server's own stylesheet and script: even a value that escaped escaping could not run.
"""

from urllib.parse import parse_qs

from faust.web import Request, Response, View

from streams.web import html as H
from streams.web import params as P
from streams.web.api import Api, ApiFailure
from streams.web.article_view import article_body
from streams.web.assets import CSS, FEED_JS
from streams.web.auth import COOKIE

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store"}


def page_response(web: View, title: str, body: str, status: int = 200) -> Response:
    return web.html(H.layout(title, body), status=status, headers=dict(HEADERS))


def failure_page(web: View, failure: ApiFailure) -> Response:
    detail = "".join(f"<li>{H.esc(d)}</li>" for d in failure.detail)
    login = ' <a href="/ui/login">log in</a>' if failure.status == 401 else ""
    return page_response(web, f"Error {failure.status}",
                         f'<p class="error">{H.esc(failure.error)}{login}</p><ul>{detail}</ul>', failure.status)


async def home(api: Api, request: Request) -> tuple[str, str]:
    window = P.parse(P.TopParams, request.query).window
    top = P.TopParams(window=window, limit=10)
    speakers, entities = await api.top("speakers", top), await api.top("entities", top)
    trending_e = await api.trending(P.TrendingParams(window=window, limit=10, kind="entities"))
    trending_s = await api.trending(P.TrendingParams(window=window, limit=10, kind="speakers"))
    feed = await api.feed(P.FeedParams(limit=20))
    label = "this hour" if window == "1h" else "today"
    body = (f'<nav class="windows">window: <a href="/ui/?window=1h">1h</a> <a href="/ui/?window=1d">1d</a> '
            f'<span class="muted">({label}, UTC; {len(speakers.workers)} worker(s) answered)</span></nav>'
            f'<div class="grid">{H.top_section(speakers, "Top speakers " + label)}'
            f'{H.top_section(entities, "Top entities " + label)}'
            f'{H.trending_section(trending_e, "Trending entities", "entities")}'
            f'{H.trending_section(trending_s, "Trending speakers", "speakers")}</div>{H.feed_section(feed.items)}')
    return "Who is quoted on what", body


async def profile(api: Api, request: Request, kind: str) -> tuple[str, str]:
    p = await api.profile(kind, P.parse(P.ProfileParams, request.query))
    return f"{p.identity.name} ({kind})", H.profile_body(p)


async def article(api: Api, request: Request) -> tuple[str, str]:
    doc = await api.article(request.match_info["article_id"])
    return f"Article {doc.get('id')}", article_body(doc)


def register(ws, api: Api) -> None:
    app = ws.app
    pages = {
        "/ui/": home,
        "/ui/speaker": lambda a, r: profile(a, r, "speaker"),
        "/ui/entity": lambda a, r: profile(a, r, "entity"),
        "/ui/article/{article_id}": article,
    }
    for path, render in pages.items():
        app.page(path, name="wirestream-ui" + path.replace("/", "-").strip("-{}"))(_view(api, render))

    @app.page("/ui/static/style.css", name="wirestream-ui-css")
    async def style(web: View, request: Request) -> Response:
        return web.bytes(CSS.encode(), content_type="text/css", headers={"X-Content-Type-Options": "nosniff"})

    @app.page("/ui/static/feed.js", name="wirestream-ui-js")
    async def script(web: View, request: Request) -> Response:
        return web.bytes(FEED_JS.encode(), content_type="application/javascript",
                         headers={"X-Content-Type-Options": "nosniff"})

    app.page("/ui/login", name="wirestream-ui-login")(login_view(api))


def _view(api: Api, render):
    async def view(web: View, request: Request, **_: object) -> Response:
        if not api.auth.allows(request.headers, request.cookies):
            return failure_page(web, ApiFailure(401, "unauthorized: this worker needs its token"))
        try:
            title, body = await render(api, request)
        except P.BadParams as exc:
            return failure_page(web, ApiFailure(400, "invalid query parameters", exc.errors))
        except ApiFailure as failure:
            return failure_page(web, failure)
        return page_response(web, title, body)

    return view


def login_view(api: Api) -> type[View]:
    class Login(View):
        """A form that puts the token in an HttpOnly cookie, for a browser (which cannot send a header)."""

        async def get(self, request: Request) -> Response:
            form = ('<form method="post" action="/ui/login"><label>token <input type="password" name="token">'
                    '</label> <button type="submit">log in</button></form>')
            return page_response(self, "Log in", form)

        async def post(self, request: Request) -> Response:
            fields = parse_qs((await request.read()).decode("utf-8", "replace"))
            token = (fields.get("token") or [""])[0]
            if not api.auth.matches(token):
                return failure_page(self, ApiFailure(401, "wrong token"))
            response = page_response(self, "Logged in", '<p><a href="/ui/">go on</a></p>', 303)
            response.headers["Location"] = "/ui/"
            response.headers["Set-Cookie"] = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            return response

    return Login
