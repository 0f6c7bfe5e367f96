"""Who the learner is: a random token in a first-party cookie, never in the address.

* **The cookie** ``tutorial_lernende``: Streamlit hands the app the cookies of the request that opened
  the session (``st.context.cookies``), so a reload, a new tab or a return at the plain address finds
  the learner. Python cannot set a cookie in a ``streamlit run`` app (a script run has no HTTP
  response), so a session without the cookie gets a fresh token (:func:`tutorial.store.limits.new_token`, 192
  bits) from the server, and a small script in the page writes it (``Path=/``, one year, ``SameSite=Lax``,
  ``Secure`` on https). The script then reads the cookie back: when the browser refused it (an
  iframe on another site, cookies blocked) it shows that progress is kept only for this visit.
* **All tabs of a browser are one learner**; the store merges what they write.
* **"Das bin nicht ich – neu beginnen"** (a shared computer): a fresh token, the cookie replaced.
* **"Auf einem anderen Gerät weitermachen"**: a one-time code (or the link ``?weiter=CODE``) from
  :mod:`tutorial.store.transfer`; the other device then has the same token. Tries are rate-limited.
* **Old links** ``?lernende=TOKEN`` are never adopted as the identity (a host who pasted their own
  link would make the whole room one learner); the learner is offered to copy that old progress into
  their own. Either parameter is removed from the address at once.
"""
from __future__ import annotations

import json
import time
from typing import Optional

import streamlit as st

from tutorial.app import state, storage
from tutorial.deutsch import de, duration
from tutorial.store import transfer
from tutorial.store.errors import StoreError
from tutorial.store.limits import TOKEN_PATTERN, new_token

COOKIE = "tutorial_lernende"
COOKIE_SECONDS = 365 * 24 * 3600
OLD_PARAM = "lernende"           # the old personal links (before the cookie)
CODE_PARAM = "weiter"            # "Auf einem anderen Gerät weitermachen" as a link
MARKER = "tutorial-identity"
ONLY_THIS_VISIT = ("Ihr Browser lässt diese Seite kein Cookie speichern (z. B. weil sie in einer anderen "
                   "Seite eingebettet ist oder Cookies gesperrt sind). Ihr Fortschritt gilt deshalb nur für "
                   "diesen Besuch. Öffnen Sie die App direkt in einem eigenen Tab, damit er erhalten bleibt.")
CODE_WRONG = "Dieser Code ist unbekannt, abgelaufen oder schon benutzt."
CODE_WAIT = "Zu viele falsche Codes. Bitte warten Sie {seconds} und versuchen Sie es dann erneut."


def browser_cookie() -> Optional[str]:
    """The learner token in the cookie the browser sent when the session connected (None: none or not
    a token)."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser context (bare mode)
        return None
    return value if isinstance(value, str) and TOKEN_PATTERN.match(value) else None


def _param(name: str) -> Optional[str]:
    value = st.query_params.get(name)
    if value is not None:
        del st.query_params[name]          # the address a learner sees carries no identity
    return value


def establish() -> str:
    """On a session's first run: the learner from the cookie, else a fresh one; a ``?weiter=`` code
    moves this browser to the code's learner, a ``?lernende=`` link is kept aside for the offer."""
    cookie = browser_cookie()
    state.set_browser_token(cookie)
    if cookie is not None or not state.has_learner():      # (a test may have seeded a learner)
        state.set_learner(cookie or new_token())
    code, old = _param(CODE_PARAM), _param(OLD_PARAM)
    if code is not None:
        redeem(code)
    if old is not None:
        if isinstance(old, str) and TOKEN_PATTERN.match(old) and old != state.learner_token():
            state.learner_memo()["old_link"] = old
        else:
            st.toast("Der alte Fortschritts-Link ist unvollständig oder ungültig.", icon=":material/link_off:")
    return state.learner_token()


def switch(token: str) -> None:
    """This session (and, through the cookie, this browser) now belongs to ``token``; nothing of the
    previous learner stays in the session."""
    state.forget_learner_session()
    state.set_learner(token)


# --- the cookie ----------------------------------------------------------------------------------

def cookie_script(token: str) -> str:
    """Write the cookie, read it back, and show the notice in the element beside it if that failed.
    (No "<" before a letter, "/" or "!": st.html's sanitizer would drop the script.)"""
    args = json.dumps([COOKIE, token, COOKIE_SECONDS, f".{MARKER}-notice"])
    return ("(function (name, token, age, notice) {"
            " var cookie = name + '=' + token + '; Path=/; Max-Age=' + age + '; SameSite=Lax'"
            " + (location.protocol === 'https:' ? '; Secure' : '');"
            " try { document.cookie = cookie; } catch (e) {}"
            " var ok = false;"
            " try { ok = document.cookie.split('; ').indexOf(name + '=' + token) >= 0; } catch (e) {}"
            " document.querySelectorAll(notice).forEach(function (el) { el.style.display = ok ? 'none' : 'block'; });"
            f"}}).apply(null, {args});")


def keep_cookie() -> None:
    """While the browser's cookie is not this session's learner (a new learner, a changed identity,
    cookies refused): write it (in the sidebar, where "Ihr Fortschritt" is)."""
    token = state.learner_token()
    if state.browser_token() == token:
        return
    with st.sidebar:
        st.html(f'<div class="{MARKER}"><div class="{MARKER}-notice" style="display:none">'
                f'<p><strong>Nur für diesen Besuch.</strong> {ONLY_THIS_VISIT}</p></div></div>'
                f"<script>{cookie_script(token)}</script>", unsafe_allow_javascript=True)


# --- a fresh start, another device, an old link ---------------------------------------------------

def start_fresh() -> None:
    """"Das bin nicht ich – neu beginnen" (an ``on_click`` callback)."""
    switch(new_token())
    st.toast("Sie beginnen mit einem neuen, leeren Fortschritt.", icon=":material/person_add:")


def issue_code() -> None:
    """"Code erzeugen" (an ``on_click`` callback): a one-time code for this learner."""
    try:
        code = transfer.issue(storage.store(), state.learner_token())
    except StoreError as exc:
        st.toast(exc.message_de, icon=":material/warning:")
        return
    state.learner_memo()["code"] = (code, time.time() + transfer.CODE_MINUTES * 60)


def redeem(text: str) -> bool:
    """Take over the learner of a one-time code (typed or from ``?weiter=``); False with a message."""
    who = state.learner_token()
    try:
        limiter = storage.limiter()
        wait = limiter.wait(who)
        if wait > 0:
            st.toast(CODE_WAIT.format(seconds=duration(wait)), icon=":material/hourglass:")
            return False
        token = transfer.redeem(storage.store(), text)
    except StoreError as exc:
        st.toast(exc.message_de, icon=":material/warning:")
        return False
    if token is None:
        limiter.failed(who)
        st.toast(CODE_WRONG, icon=":material/error:")
        return False
    limiter.succeeded(who)
    switch(token)
    st.toast("Geschafft: Dieses Gerät setzt jetzt Ihren Fortschritt vom anderen Gerät fort.",
             icon=":material/devices:")
    return True


def _redeem_typed() -> None:
    redeem(state.widget_value("identity_code") or "")
    state.forget_widget("identity_code")


def copy_old_link() -> None:
    """"Fortschritt aus dem alten Link übernehmen" (an ``on_click`` callback)."""
    memo = state.learner_memo()
    old = memo.pop("old_link", None)
    if old is None:
        return
    try:
        copied = transfer.copy_progress(storage.store(), old, state.learner_token())
    except StoreError as exc:
        st.toast(exc.message_de, icon=":material/warning:")
        return
    switch(state.learner_token())      # read the learner again, now with the copied progress and settings
    st.toast("Der Fortschritt aus dem alten Link ist übernommen." if copied
             else "Unter dem alten Link war kein Fortschritt gespeichert.", icon=":material/history:")


def _decline_old_link() -> None:
    state.learner_memo().pop("old_link", None)


def old_link_offer() -> None:
    """Above the page when the session was opened with an old ``?lernende=`` link."""
    if "old_link" not in state.learner_memo():
        return
    with st.container(border=True):
        st.markdown("**Sie haben einen alten Fortschritts-Link geöffnet.** Ihr Fortschritt hängt jetzt nicht "
                    "mehr an der Adresse, sondern an diesem Browser. Soll der Fortschritt aus dem alten Link "
                    "zu Ihrem hinzukommen? (Nur, wenn es Ihr eigener Link war.)")
        left, right = st.columns(2)
        left.button("Fortschritt aus dem alten Link übernehmen", key="identity_old_copy", on_click=copy_old_link,
                    type="primary", icon=":material/history:")
        right.button("Nein, danke", key="identity_old_no", on_click=_decline_old_link, icon=":material/close:")


def controls() -> None:
    """Another device and a fresh start (on the start page, under "Ihr Fortschritt")."""
    memo = state.learner_memo()
    with st.expander("Auf einem anderen Gerät weitermachen", icon=":material/devices:"):
        code, until = memo.get("code") or (None, 0.0)
        if code is None or time.time() > until:
            st.markdown("Sie erhalten einen Code, der einmal und nur "
                        f"{de(transfer.CODE_MINUTES)} Minuten lang gilt. Auf dem anderen Gerät geben Sie ihn "
                        "hier ein (oder öffnen den Link); danach sind beide Geräte dieselbe Person.")
        else:
            link = f"{(st.context.url or '').rstrip('/')}/?{CODE_PARAM}={code}"
            st.markdown(f"Ihr Code: **{transfer.pretty(code)}** (gilt bis {time.strftime('%H:%M', time.localtime(until))} "
                        "Uhr, nur einmal). Oder öffnen Sie auf dem anderen Gerät diesen Link:")
            st.code(link, language=None)
            st.warning("Geben Sie Code und Link an niemanden weiter: Wer sie zuerst benutzt, sieht und "
                       "ändert Ihren Fortschritt.", icon=":material/warning:")
        st.button("Code erzeugen" if code is None else "Neuen Code erzeugen", key="identity_issue",
                  on_click=issue_code, icon=":material/key:")
        st.divider()
        st.text_input("Code vom anderen Gerät", key="identity_code", max_chars=20, placeholder="ABCD-EFGH-JKLM")
        st.button("Mit diesem Code weitermachen", key="identity_redeem", on_click=_redeem_typed,
                  icon=":material/login:")
        st.caption("Der Fortschritt, den dieses Gerät bisher hatte, wird dabei durch den des anderen Geräts ersetzt.")
    with st.popover("Das bin nicht ich – neu beginnen", icon=":material/person_add:"):
        st.markdown("Für einen gemeinsam genutzten Rechner: Dieser Browser beginnt als neue Person mit leerem "
                    "Fortschritt. Der bisherige Fortschritt bleibt gespeichert, ist hier aber nicht mehr "
                    "erreichbar (nur über »Auf einem anderen Gerät weitermachen«, vorher erzeugt).")
        st.button("Ja, neu beginnen", key="identity_fresh", on_click=start_fresh, type="primary")
