"""The example app's demo sign-in, over HTTP against `next start` (the browser side is in
test_demo_in_browser.py): the session cookie the sign-in sets, what the import route and the
dashboard make of forged, garbled and expired cookies, and where sign-in may send a visitor.

A session cookie is `v1.<payload>.<signature>`: payload the base64url JSON
`{"sub": user id, "exp": unix seconds}`, signature the base64url HMAC-SHA256 of `v1.<payload>`
under EXAMPLE_SESSION_SECRET (examples/nextjs-app/README.md). The tests forge their own.
"""

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

from running_app import RunningApp

COOKIE = "csvimport_example_session"
ROUTE = "/api/user/import/progress"
# A body the route refuses only after it authenticated the request: 400 when signed in, 401 when
# not, and nothing is written either way.
PROBE = {"items": "probe"}

pytestmark = pytest.mark.node


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def session_value(secret: str, payload: object, *, raw_payload: str | None = None) -> str:
    encoded = raw_payload if raw_payload is not None else b64url(json.dumps(payload).encode())
    data = f"v1.{encoded}"
    return f"{data}.{b64url(hmac.new(secret.encode(), data.encode(), hashlib.sha256).digest())}"


def client(app: RunningApp, session: str | None = None) -> httpx.Client:
    cookies = {COOKIE: session} if session is not None else None
    return httpx.Client(base_url=app.base_url, cookies=cookies, timeout=30)


def probe_status(app: RunningApp, session: str | None = None) -> int:
    with client(app, session) as http:
        return http.post(ROUTE, json=PROBE).status_code


def sign_in(app: RunningApp, next_path: str, **headers: str) -> httpx.Response:
    with client(app) as http:
        return http.post(
            "/api/session", data={"next": next_path}, headers={"Origin": app.base_url, **headers}
        )


def test_sign_in_sets_a_signed_http_only_lax_cookie_that_the_import_route_accepts(
    app: RunningApp,
):
    assert probe_status(app) == 401
    response = sign_in(app, "/en/dashboard/user")
    assert response.status_code == 303
    assert response.headers["location"] == "/en/dashboard/user"
    set_cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=lax" in set_cookie.lower() and "path=/" in set_cookie.lower()
    assert "secure" not in attributes  # plain HTTP on loopback: a Secure cookie would be lost
    value = response.cookies[COOKIE]

    version, payload, _ = value.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert version == "v1" and claims["sub"] == "user_demo"
    assert 0 < claims["exp"] - time.time() <= 8 * 3600
    assert value == session_value(app.session_secret, None, raw_payload=payload)
    assert probe_status(app, value) == 400

    # The dashboard lets the session in and names the user.
    with client(app, value) as http:
        page = http.get("/en/dashboard/user")
    assert page.status_code == 200 and "demo@example.com" in page.text


def test_forged_garbled_and_expired_cookies_get_401(app: RunningApp):
    now = int(time.time())
    good = session_value(app.session_secret, {"sub": "user_demo", "exp": now + 600})
    assert probe_status(app, good) == 400  # the forging is right: the cases below differ by one
    version, payload, signature = good.split(".")
    other_payload = b64url(json.dumps({"sub": "user_demo", "exp": now + 99_999}).encode())
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    cases = {
        "another secret": session_value("not-the-secret", {"sub": "user_demo", "exp": now + 600}),
        "expired": session_value(app.session_secret, {"sub": "user_demo", "exp": now - 1}),
        "unknown user": session_value(app.session_secret, {"sub": "user_other", "exp": now + 600}),
        "exp as text": session_value(app.session_secret, {"sub": "user_demo", "exp": "9999999999"}),
        "payload not JSON": session_value(app.session_secret, None, raw_payload=b64url(b"{sub")),
        "payload swapped": f"{version}.{other_payload}.{signature}",
        "signature changed": f"{version}.{payload}.{flipped}",
        "signature cut": good[:-1],
        "no signature": f"{version}.{payload}",
        "version 2": "v2" + good[2:],
        "padding added": good + "=",
        "empty": "",
        "garbage": "not a session at all",
    }
    statuses = {name: probe_status(app, value) for name, value in cases.items()}
    assert statuses == dict.fromkeys(cases, 401)

    # A forged cookie does not open the dashboard either: the visitor is sent to sign in.
    with client(app, cases["another secret"]) as http:
        page = http.get("/en/dashboard/user")
    assert page.status_code == 307
    assert page.headers["location"].endswith("/en/sign-in?next=%2Fen%2Fdashboard%2Fuser")


def test_a_bearer_header_decides_alone_and_still_works(app: RunningApp):
    good = sign_in(app, "/en/dashboard").cookies[COOKIE]
    with client(app, good) as http:
        assert (
            http.post(ROUTE, json=PROBE, headers={"Authorization": "Bearer wrong"}).status_code
            == 401
        )
    with client(app) as http:
        assert http.post(ROUTE, json=PROBE, headers=app.auth).status_code == 400


@pytest.mark.parametrize(
    "next_path",
    [
        "//evil.example/en/dashboard",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_sign_in_never_sends_a_visitor_to_another_site(app: RunningApp, next_path: str):
    assert sign_in(app, next_path).headers["location"] == "/"
    with client(app) as http:
        page = http.get("/en/sign-in", params={"next": next_path})
    assert page.status_code == 200
    assert 'name="next" value="/en/dashboard"' in page.text


def test_sign_in_keeps_a_local_path_with_its_query(app: RunningApp):
    assert sign_in(app, "/fr/dashboard/course?tab=2").headers["location"] == (
        "/fr/dashboard/course?tab=2"
    )


def test_cross_site_sign_in_and_sign_out_are_refused(app: RunningApp):
    for origin_headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = sign_in(app, "/en/dashboard", **origin_headers)
        assert refused.status_code == 403 and COOKIE not in refused.cookies
    with client(app) as http:
        out = http.post("/api/session/sign-out", headers={"Origin": "https://evil.example"})
    assert out.status_code == 403


def test_sign_out_clears_the_cookie_and_returns_to_sign_in(app: RunningApp):
    with client(app) as http:
        response = http.post(
            "/api/session/sign-out", data={"next": "/en/sign-in"}, headers={"Origin": app.base_url}
        )
    assert response.status_code == 303 and response.headers["location"] == "/en/sign-in"
    set_cookie = response.headers["set-cookie"].lower()
    assert set_cookie.startswith(f"{COOKIE}=;") and "max-age=0" in set_cookie
