"""Figures built once per content, not on every run (docs/performance.md, "In the browser").

Plotly validates every property as a figure is built; a figure of many panels (the Targets page's
small multiples: 40 traces in 12 panels) took a third of a second of the server's run, on every
run and for every user, for a picture that changes only with its data and language.

``cached(builder, *args)`` returns ``builder(*args)`` from a cache shared by every session, keyed by
the builder and its arguments (data frames by their content; a function argument by its name, so
the function must depend only on the other arguments, e.g. a number format of the language that
is passed too). The figure's margins are sized before it is cached (``presentation.margins``), so drawing it
later changes nothing in it. Callers must not change a figure they get from here: it is the same
object for everyone.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from presentation import margins


def _plain(value: object) -> object:
    """A value as it goes into the key: a function by its name, a container by its parts."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def key(builder: Callable, args: tuple, kwargs: dict) -> str:
    """The builder and its arguments' content as one digest (data frames pickled: their cells may hold lists)."""
    return hashlib.sha256(pickle.dumps((_plain(builder), _plain(args), _plain(kwargs)), protocol=5)).hexdigest()


@st.cache_resource(max_entries=256, show_spinner=False)
def _build(digest: str, _builder: Callable[..., go.Figure], _args: tuple, _kwargs: dict) -> go.Figure:
    return margins.presize(_builder(*_args, **_kwargs))


def cached(builder: Callable[..., go.Figure], *args: object, **kwargs: object) -> go.Figure:
    """``builder(*args, **kwargs)``, built once for the same builder and arguments (never change the result)."""
    return _build(key(builder, args, kwargs), builder, args, kwargs)
