"""Explanations whose maths runs in the browser: Altair parameters bound to inputs.

Each chart carries its own sliders (``alt.param(bind=alt.binding_range(...))``) and computes
everything that depends on them with Vega expressions (``transform_calculate``): moving a slider
redraws the chart at once, with no server round trip and no script run. Numbers written into the
chart use ``format(...)``, which follows the German locale the chart carries (0,75; 40 %).

The formulas are the ones of :mod:`tutorial.theory` (tests compare both), written as Vega
expressions: one neuron with relu or sigmoid, the activation functions, softmax with a
temperature, one-hot and the cross-entropy with Keras' clipping of p to [1e-7, 1 − 1e-7].
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tutorial import theory as T
from tutorial.charts.base import BLUE, GREEN, GREY, ORANGE, PLOT_HEIGHT, RED, german

WIDTH = 270          # sub-charts stacked vertically fit a phone (390 px) and sit well on a laptop
EPS = T.KERAS_EPSILON


def _slider(name: str, label: str, lo: float, hi: float, step: float, value: float) -> alt.Parameter:
    return alt.param(name=name, value=value, bind=alt.binding_range(min=lo, max=hi, step=step, name=label))


def _act(expr: str, activation: str = "act") -> str:
    """relu or sigmoid of ``expr`` as a Vega expression, chosen by the parameter ``activation``."""
    return f"({activation} == 'relu' ? max(0, {expr}) : 1 / (1 + exp(-({expr}))))"


# --- one neuron ---------------------------------------------------------------------------------

NEURON_DEFAULTS = {"inputs": (0.8, 0.3, 0.5), "weights": (1.2, -0.7, 0.4), "bias": -0.2, "activation": "relu"}


def neuron_chart() -> alt.VConcatChart:
    """Three inputs, three weights and a bias as sliders → the products, the weighted sum and the
    activation, with the written-out sum on top."""
    d = NEURON_DEFAULTS
    params = [_slider(f"x{i + 1}", f"Eingabe x{i + 1} ", 0, 1, 0.05, d["inputs"][i]) for i in range(3)]
    params += [_slider(f"w{i + 1}", f"Gewicht w{i + 1} ", -3, 3, 0.1, d["weights"][i]) for i in range(3)]
    params.append(_slider("b", "Bias b ", -3, 3, 0.1, d["bias"]))
    params.append(alt.param(name="act", value=d["activation"],
                            bind=alt.binding_radio(options=["relu", "sigmoid"], name="Aktivierung ")))
    z = "(x1 * w1 + x2 * w2 + x3 * w3 + b)"

    def fac(p: str, digits: str) -> str:   # a factor of a written-out product, negatives in parentheses
        return f"({p} < 0 ? '(' + format({p}, '{digits}') + ')' : format({p}, '{digits}'))"

    products = " + ' + ' + ".join(f"format(x{i}, '.2f') + '·' + {fac(f'w{i}', '.1f')}" for i in (1, 2, 3))
    lines = [f"'Summe: ' + {products}",
             f"'+ Bias ' + {fac('b', '.1f')} + ' = ' + format({z}, '.3f')",
             f"'Ausgabe: ' + act + '(' + format({z}, '.3f') + ') = ' + format({_act(z)}, '.3f')"]
    one = alt.Data(values=[{"zeile": 0}])
    header = alt.layer(*[
        alt.Chart(one).transform_calculate(t=line).mark_text(
            align="left", baseline="top", fontSize=13, fontWeight="bold" if i == 2 else "normal").encode(
            x=alt.value(0), y=alt.value(18 * i), text="t:N")
        for i, line in enumerate(lines)]).properties(width=WIDTH, height=52)

    parts = pd.DataFrame({"Teil": ["x₁·w₁", "x₂·w₂", "x₃·w₃", "Bias b", "Summe"], "i": range(5),
                          "Art": ["Produkt"] * 3 + ["Bias", "Summe"]})
    value = f"[x1 * w1, x2 * w2, x3 * w3, b, {z}][datum.i]"
    bars_base = alt.Chart(parts).transform_calculate(Wert=value, txt="format(datum.Wert, '.2f')").encode(
        x=alt.X("Teil:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)))
    bars = bars_base.mark_bar().encode(
        y=alt.Y("Wert:Q", title="Beitrag", scale=alt.Scale(domain=[-4, 4], clamp=True)),
        color=alt.Color("Art:N", scale=alt.Scale(domain=["Produkt", "Bias", "Summe"], range=[BLUE, ORANGE, RED]),
                        legend=None),
        tooltip=["Teil:N", alt.Tooltip("Wert:Q", format=".3f")])
    labels = bars_base.mark_text(dy=-8, fontSize=12).encode(y="Wert:Q", text="txt:N")
    contributions = (bars + labels).properties(title="Beiträge zur gewichteten Summe", width=WIDTH, height=200)

    curve = alt.Chart(alt.sequence(-5, 5.01, 0.05, as_="s")).transform_calculate(a=_act("datum.s")).mark_line(
        color=BLUE, strokeWidth=2.5).encode(x=alt.X("s:Q", title="gewichtete Summe + Bias",
                                                     scale=alt.Scale(domain=[-5, 5])),
                                             y=alt.Y("a:Q", title="Ausgabe", scale=alt.Scale(domain=[0, 5])))
    # the point stays on the plot's edge when the sum leaves -5 … 5 (its label keeps the real numbers)
    point = alt.Chart(one).transform_calculate(s=f"clamp({z}, -5, 5)", a=f"min({_act(z)}, 5)",
                                               txt=f"'Ausgabe ' + format({_act(z)}, '.3f')")
    dot = point.mark_circle(size=160, color=RED).encode(x="s:Q", y="a:Q")
    rule = point.mark_rule(color=RED, strokeDash=[4, 4]).encode(x="s:Q")
    text = point.mark_text(align="left", dx=-40, dy=-16, color=RED, fontSize=13).encode(x="s:Q", y="a:Q",
                                                                                        text="txt:N")
    activation = (curve + rule + dot + text).properties(title="Das Neuron: Summe rein, Aktivierung raus",
                                                        width=WIDTH, height=200)
    return german(alt.vconcat(header, contributions, activation).add_params(*params))


# --- activation functions -------------------------------------------------------------------------

def activation_chart() -> alt.LayerChart:
    """sigmoid and relu; a checkbox in the chart adds their derivatives."""
    show = alt.param(name="ableitungen", value=False,
                     bind=alt.binding_checkbox(name="Ableitungen einblenden "))
    curves = {"sigmoid": "1 / (1 + exp(-datum.x))", "relu": "max(0, datum.x)",
              "Ableitung sigmoid": "exp(-datum.x) / pow(1 + exp(-datum.x), 2)",
              "Ableitung relu": "datum.x > 0 ? 1 : 0"}
    base = alt.Chart(alt.sequence(-6, 6.001, 0.025, as_="x")).transform_fold(
        list(curves), as_=["Funktion", "dummy"]).transform_filter(
        "ableitungen || indexof(datum.Funktion, 'Ableitung') < 0").transform_calculate(
        y=" : ".join(f"datum.Funktion == '{k}' ? {v}" for k, v in curves.items()) + " : 0")
    domain = list(curves)
    chart = base.mark_line(strokeWidth=2.5, clip=True).encode(
        x=alt.X("x:Q", title="Eingabe der Aktivierung"),
        y=alt.Y("y:Q", title="Wert", scale=alt.Scale(domain=[-0.2, 3])),
        color=alt.Color("Funktion:N", scale=alt.Scale(domain=domain, range=[BLUE, ORANGE, "#6baed6", "#fdae6b"]),
                        title=None, legend=alt.Legend(orient="bottom", columns=2)),   # four in a row: cut on a phone
        strokeDash=alt.condition("indexof(datum.Funktion, 'Ableitung') >= 0", alt.value([5, 4]), alt.value([1, 0])),
    ).add_params(show).properties(title="Aktivierungsfunktionen", height=220, autosize=PLOT_HEIGHT)
    return german(chart)


# --- softmax ------------------------------------------------------------------------------------

def softmax_chart(logits) -> alt.VConcatChart:
    """The probabilities softmax gives ``logits`` as bars; the temperature T is a slider in the chart
    (p_k = exp(L_k / T) / Σ exp(L_j / T), the largest L subtracted first as in numpy and Keras)."""
    logits = [float(v) for v in logits]
    temperature = _slider("T", "Temperatur T ", 0.1, 5, 0.1, 1.0)
    data = pd.DataFrame({"Klasse": [str(i) for i in range(len(logits))], "Logit": logits})
    base = alt.Chart(data).transform_calculate(z="datum.Logit / T").transform_joinaggregate(
        zmax="max(z)").transform_calculate(e="exp(datum.z - datum.zmax)").transform_joinaggregate(
        total="sum(e)").transform_calculate(p="datum.e / datum.total",
                                            txt="datum.p >= 0.005 ? format(datum.p, '.0%') : ''")
    ranked = base.transform_window(rank="rank()", sort=[alt.SortField("p", order="descending")])
    x = alt.X("Klasse:N", sort=None, title="Klasse", axis=alt.Axis(labelAngle=0))
    bars = ranked.mark_bar().encode(
        x=x, y=alt.Y("p:Q", title="Wahrscheinlichkeit", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.condition("datum.rank == 1", alt.value(RED), alt.value(BLUE)),
        tooltip=["Klasse:N", alt.Tooltip("Logit:Q", format=".2f"), alt.Tooltip("p:Q", title="Wahrscheinlichkeit",
                                                                             format=".2%")])
    text = base.mark_text(dy=-8).encode(x=x, y="p:Q", text="txt:N")
    winner = ranked.transform_filter("datum.rank == 1").transform_window(
        n="row_number()").transform_filter("datum.n == 1").transform_calculate(
        one="'Temperatur ' + format(T, '.1f') + ': der größte Logit'",
        two="'(' + format(datum.Logit, '.2f') + ') bekommt ' + format(datum.p, '.1%')")
    header = alt.layer(*[winner.mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold").encode(
        x=alt.value(0), y=alt.value(18 * i), text=f"{f}:N") for i, f in enumerate(("one", "two"))])
    chart = alt.vconcat(header.properties(width=WIDTH, height=34),
                        (bars + text).properties(width=WIDTH, height=240, title="softmax: Summe immer 100 %"))
    return german(chart.add_params(temperature))


# --- one-hot and cross-entropy --------------------------------------------------------------------

def cross_entropy_chart(probs, label: int = 3) -> alt.VConcatChart:
    """The learner's prediction ``probs`` (ten values, normalised here) against the right digit
    ``label`` (chosen with the page's selectbox, so the caption under the chart agrees): the one-hot
    vector, the bars with the right class in green, and the −log(p) curve with the loss. p is clipped
    to [1e-7, 1 − 1e-7] like Keras does, so p = 0 gives −log(1e-7) ≈ 16.118 instead of infinity."""
    p = np.asarray(probs, float)
    p = p / p.sum()
    right = alt.param(name="richtig", value=int(label))   # no second selector inside the chart
    data = pd.DataFrame({"k": range(10), "Klasse": [str(i) for i in range(10)], "p": p})
    x = alt.X("Klasse:N", sort=None, title="Klasse", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data).transform_calculate(y="datum.k == richtig ? 1 : 0")
    strip = base.mark_rect(stroke="white").encode(
        x=x, color=alt.Color("y:Q", scale=alt.Scale(domain=[0, 1], range=["#f0f0f0", GREEN]), legend=None))
    strip = (strip + base.mark_text(fontSize=13).encode(x=x, text="y:Q")).properties(
        width=WIDTH, height=34, title=alt.Title("One-hot-Kodierung der richtigen Ziffer", fontSize=13))
    bars = base.mark_bar().encode(
        x=x, y=alt.Y("p:Q", title="vorhergesagt", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.condition("datum.k == richtig", alt.value(GREEN), alt.value(GREY)),
        tooltip=["Klasse:N", alt.Tooltip("p:Q", title="Wahrscheinlichkeit", format=".3f")],
    ).properties(width=WIDTH, height=170, title=alt.Title("Vorhersage (grün: die richtige Klasse)", fontSize=13))
    curve = alt.Chart(alt.sequence(0.005, 1.0001, 0.005, as_="q")).transform_calculate(
        v="-log(datum.q)").mark_line(color=BLUE, strokeWidth=2.5).encode(
        x=alt.X("q:Q", title="Wahrscheinlichkeit der richtigen Klasse", axis=alt.Axis(format="%")),
        y=alt.Y("v:Q", title="−log(p)", scale=alt.Scale(domain=[0, 6], clamp=True)))
    mine = alt.Chart(data).transform_filter("datum.k == richtig").transform_calculate(
        pc=f"clamp(datum.p, {EPS}, {1 - EPS})", loss="-log(datum.pc)", shown="min(datum.loss, 6)",
        q="max(datum.p, 0.005)", txt="'Verlust ' + format(datum.loss, '.3f')")
    dot = mine.mark_circle(size=160, color=RED).encode(x="q:Q", y="shown:Q")
    label_text = mine.mark_text(align="left", dx=10, dy=-8, color=RED, fontSize=13).encode(x="q:Q", y="shown:Q",
                                                                                           text="txt:N")
    loss_curve = (curve + dot + label_text).properties(width=WIDTH, height=190,
                                                       title="Je sicherer richtig, desto kleiner der Verlust")
    formula = mine.transform_calculate(
        one="'Kreuzentropie = −log(' + format(datum.p, '.3f') + ') = ' + format(datum.loss, '.3f')",
        two=(f"datum.p < {EPS} ? 'p = 0 wird wie in Keras als 10⁻⁷ gerechnet,' : "
             "'Nur die richtige Klasse zählt: alle anderen'"),
        three=(f"datum.p < {EPS} ? 'sonst wäre −log(0) unendlich.' : 'One-hot-Einträge sind 0.'"))
    lines = alt.layer(*[formula.mark_text(align="left", baseline="top", fontSize=13,
                                          fontWeight="bold" if i == 0 else "normal").encode(
        x=alt.value(0), y=alt.value(18 * i), text=f"{f}:N") for i, f in enumerate(("one", "two", "three"))]
    ).properties(width=WIDTH, height=52)
    return german(alt.vconcat(strip, bars, lines, loss_curve).add_params(right))
