"""Sign-in through an identity provider, end to end and without a network: ``st.login`` against an
OpenID Connect provider on loopback (oidc-provider-mock), the served app, and a session that carries
the cookies the app's callback set, as a browser would (with the XSRF token and origin a browser
sends, without which Streamlit does not read the sign-in cookie).

What it proves beyond tests/pages/test_signin.py (where ``st.login`` and ``st.user`` are stand-ins):
the ``[auth]`` section the README shows is what Streamlit needs, the e-mail the provider returns is
the one ``ui/auth.py`` maps to an account (its role and school), and an e-mail without an account
gets no rights.
"""

from __future__ import annotations

import asyncio
import shutil
from urllib.parse import urljoin

import pytest

from data_loaders import accounts
from tests.e2e.browser import free_port, start_server, stop_server
from tests.factories import SCHOOL
from tests.pages.conftest import en

pytestmark = pytest.mark.e2e

oidc_mock = pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed")
httpx = pytest.importorskip("httpx")
try:
    from tests.e2e.streamlit_ws import Session, trigger
except ImportError as err:
    pytest.skip(f"cannot speak Streamlit's websocket protocol ({err})", allow_module_level=True)

REPORTER = "Ilze.Ozola@novads.lv"  # as the provider spells it; the account is kept in lower case
STRANGER = "sveshs@citur.lv"
DATA = "data"  # the Data page's url path


@pytest.fixture(scope="module")
def provider():
    users = [
        oidc_mock.User(sub="ilze", claims={"email": REPORTER, "email_verified": True, "name": "Ilze Ozola"}),
        oidc_mock.User(sub="svesais", claims={"email": STRANGER, "email_verified": True}),
    ]
    with oidc_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app(provider, accounts_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("oidc")
    db = work / "pmp.duckdb"
    shutil.copyfile(accounts_db, db)
    accounts.add(db, REPORTER, "school_reporter", school_id=SCHOOL, display_name="Ilze Ozola")  # no password
    # The [auth] section as the README shows it, in the global secrets file (~/.streamlit/secrets.toml)
    # of a home of the test's own: the project's .streamlit/secrets.toml is left alone.
    home = work / "home"
    (home / ".streamlit").mkdir(parents=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (home / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        'cookie_secret = "a-long-random-cookie-secret-for-the-test"\n'
        'client_id = "pmp"\n'
        'client_secret = "pmp-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {"HOME": str(home), "PMP_THROTTLE_FILE": str(work / "signin")}
    process, base = start_server(db, env, port=port)
    try:
        yield base
    finally:
        stop_server(process)


async def _click_sign_in(base: str) -> str:
    """Open the Data page signed out and press the provider's button: where st.login sends the browser."""
    async with Session(base, "lang=en") as session:
        await session.run("")
        render = await session.run(DATA)
        assert not render.errors, render.errors
        button = render.widget("page_oidc")
        assert button.label == en("auth.sign_in_oidc")
        session.set_widget(trigger(button.id))
        await session.run()
        assert session.redirect, "st.login sent the browser nowhere"
        return session.redirect


def _sign_in_at_provider(base: str, login_path: str, sub: str) -> dict[str, str]:
    """What the browser does after st.login: the app's login route, the provider's form (choosing
    the user), the app's callback. Returns the app's cookies the callback set."""
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        to_provider = browser.get(urljoin(base + "/", login_path.lstrip("/")))
        assert to_provider.status_code in (302, 303, 307), to_provider.text[:500]
        authorize = to_provider.headers["location"]
        assert browser.get(authorize).status_code == 200  # the provider's form
        back = browser.post(authorize, data={"sub": sub, "action": "allow"})
        assert back.status_code in (302, 303), back.text[:500]
        callback = browser.get(back.headers["location"])
        assert callback.status_code in (302, 303, 307), callback.text[:500]
        browser.get(f"{base}/_stcore/health")  # as the page does: its XSRF cookie
        cookies = {c.name: c.value for c in browser.cookies.jar if c.domain in ("127.0.0.1", "127.0.0.1.local")}
    assert any(name.startswith("_streamlit_user") for name in cookies), cookies
    return cookies


async def _data_page(base: str, cookies: dict[str, str]):
    async with Session(base, "lang=en", cookies=cookies) as session:
        await session.run("")
        render = await session.run(DATA)
        assert not [e for e in render.errors if e.startswith("exception")], render.errors
        return render


def _texts(render) -> list[str]:
    return [a.body for a in render.of_type("alert")] + [m.body for m in render.of_type("markdown")]


def test_a_provider_sign_in_maps_the_e_mail_to_its_account(app):
    login = asyncio.run(_click_sign_in(app))
    cookies = _sign_in_at_provider(app, login, "ilze")
    render = asyncio.run(_data_page(app, cookies))
    texts = _texts(render)
    role = en("auth.role.school_reporter")
    signed = en("auth.signed_in_as", user="Ilze Ozola", username=REPORTER.lower(), role=role)
    assert any(signed in text for text in texts), texts
    assert en("auth.reporter_scope", school="Ezermalas vidusskola") in texts
    render.widget("uploads_0")  # the school reporter's import, as their role reaches
    with pytest.raises(KeyError):
        render.widget("restore_button")  # no restore for a school reporter


def test_a_provider_identity_without_an_account_gets_no_rights(app):
    login = asyncio.run(_click_sign_in(app))
    cookies = _sign_in_at_provider(app, login, "svesais")
    render = asyncio.run(_data_page(app, cookies))
    assert en("auth.unknown_identity", email=STRANGER) in [a.body for a in render.of_type("alert")]
    with pytest.raises(KeyError):
        render.widget("uploads_0")
