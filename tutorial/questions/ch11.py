"""Chapter 11: a convolutional network (no dropout yet)."""
from tutorial import layers as L
from tutorial import presets, pretrained
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Option, Question, epochs, errors_per_10000, errors_text, final_accuracy, no_run

SOLUTION = presets.PRESETS["ex_11_conv_no_dropout"]
ROWS = S.layer_table(SOLUTION)
TOTAL = sum(r["params"] for r in ROWS)
DENSE = next(r for r in ROWS if r["layer"] == "Dense")
LAST_CONV = [r for r in ROWS if r["layer"] == "Conv2D"][-1]
FLAT = next(r for r in ROWS if r["layer"] == "Flatten")["output_shape"][0]


def _with_padding(padding: str, strides: bool = True) -> list[dict]:
    """The solution's layer table with every convolution on ``padding`` (``strides=False``: all at 1)."""
    return S.layer_table(tuple(L.Conv2D(x.filters, x.kernel_size, x.strides if strides else 1, padding, x.activation)
                               if isinstance(x, L.Conv2D) else x for x in SOLUTION.layers))


VALID_ROWS = _with_padding("valid")
VALID_WIDTHS = [VALID_ROWS[0]["output_shape"][0]] + [r["output_shape"][0] for r in VALID_ROWS
                                                     if r["layer"] == "Conv2D"]
VALID_CHANNELS = [r for r in VALID_ROWS if r["layer"] == "Conv2D"][-1]["output_shape"][2]
VALID_FLAT = next(r for r in VALID_ROWS if r["layer"] == "Flatten")["output_shape"][0]
VALID_DENSE = next(r for r in VALID_ROWS if r["layer"] == "Dense")["params"]
VALID_TOTAL = sum(r["params"] for r in VALID_ROWS)
NO_STRIDE_ROWS = _with_padding("valid", strides=False)
NO_STRIDE_WIDTHS = [r["output_shape"][0] for r in NO_STRIDE_ROWS if r["layer"] == "Conv2D"]
NO_STRIDE_FLAT = next(r for r in NO_STRIDE_ROWS if r["layer"] == "Flatten")["output_shape"][0]
# the typical slip of starting the second convolution at 28 pixels (the first one left out)
FROM_28_FLAT = S.layer_table([L.Reshape(), *[L.Conv2D(x.filters, x.kernel_size, x.strides, "valid")
                                             for x in SOLUTION.layers if isinstance(x, L.Conv2D)][1:],
                              L.Flatten()])[-1]["output_shape"][0]

DENSE_ACCURACY = pretrained.load_history("ex_09_four_dense")["test_accuracy"]
CONV_ACCURACY = pretrained.load_history("ex_11_conv_no_dropout")["test_accuracy"]
DENSE_ERRORS, CONV_ERRORS = errors_per_10000(DENSE_ACCURACY), errors_per_10000(CONV_ACCURACY)


def _outcome(history, spec):
    accuracy = final_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    errors = errors_per_10000(accuracy)
    index = 0 if errors > 200 else 1 if errors >= 100 else 2
    n = len(epochs(history))
    return index, (f"Ihr Lauf erreichte nach {count(n, 'Epoche', 'Epochen')} {percent(accuracy)} – "
                   f"{errors_text(accuracy, spec)}.")


GUESS = Guess(
    id="ch11.errors",
    prompt="Wie viele der 10.000 Testziffern wird Ihr Faltungsnetz am Ende falsch erkennen?",
    options=("Mehr als 200 (unter 98 %)", "Zwischen 100 und 200", "Weniger als 100 (über 99 %)"),
    outcome=_outcome,
    why=("So viele Fehler macht schon ein gutes dichtes Netz; das Faltungsnetz hatte hier zu wenig Training "
         "(wenige Epochen oder wenige Ziffern) oder ungünstige Einstellungen.",
         f"Etwa auf dem Niveau des besten dichten Netzes dieses Kurses ({de(DENSE_ERRORS)} Fehler), "
         "vielleicht etwas besser – die 99 % aber noch nicht.",
         "Die Faltungen nutzen die Nachbarschaft der Pixel – damit fällt die 99-%-Marke."),
)

QUESTIONS = {
    "after_code": (
        Question(
            id="ch11.dense_params",
            prompt=f"Nach der letzten Faltung liegt ein Datenwürfel von {LAST_CONV['output_shape'][0]} × "
                   f"{LAST_CONV['output_shape'][1]} × {LAST_CONV['output_shape'][2]} Werten vor. Flatten legt ihn "
                   "flach, dann folgt Dense(200). Wie viele Parameter hat diese dichte Schicht?",
            answer=DENSE["params"],
            right=f"Richtig: {de(DENSE['params'] - 200)} Gewichte plus 200 Biases = {de(DENSE['params'])} – "
                  f"{percent(DENSE['params'] / TOTAL, 0)} aller {de(TOTAL)} Parameter des Netzes.",
            wrong="Flatten ergibt Höhe × Breite × Kanäle Werte; jedes der 200 Neuronen hat ein Gewicht pro Wert "
                  "und einen Bias.",
            typical=((DENSE["params"] - 200, "Fast – die 200 Biases fehlen."),
                     (7 * 7 * 200 + 200, "Sie haben die 32 Kanäle vergessen: Flatten macht aus 7 × 7 × 32 "
                                         f"{de(7 * 7 * 32)} Werte.")),
        ),
        Question(
            id="ch11.valid_flatten",
            prompt="Angenommen, alle drei Faltungen der Tabelle liefen mit padding=\"valid\" statt \"same\" – "
                   "Filter, Kerngrößen und Schrittweiten wie oben. Bei \"valid\" bleiben von einer Breite "
                   "⌊(Breite − Kerngröße) / Schrittweite⌋ + 1 Pixel (⌊ ⌋: abgerundet). Wie viele Werte liefert "
                   "Flatten dann?",
            answer=VALID_FLAT,
            right=f"Richtig: {' → '.join(str(w) for w in VALID_WIDTHS)} Pixel Breite, also "
                  f"{VALID_WIDTHS[-1]} · {VALID_WIDTHS[-1]} · {VALID_CHANNELS} = {de(VALID_FLAT)} Werte statt "
                  f"{de(FLAT)}. Die dichte Schicht danach hat dann nur {de(VALID_DENSE)} statt "
                  f"{de(DENSE['params'])} Parameter, das ganze Netz {de(VALID_TOTAL)} statt {de(TOTAL)}. "
                  "Die Tabelle der Übung oben zeigt es, wenn Sie »Padding« auf »valid« stellen.",
            wrong="Gehen Sie Faltung für Faltung vor: Bei \"valid\" bleiben ⌊(Breite − Kerngröße) / Schrittweite⌋ "
                  "+ 1 Pixel. Flatten ergibt am Ende Höhe × Breite × Kanäle.",
            typical=((FLAT, f"{de(FLAT)} sind es mit padding=\"same\". Bei \"valid\" wird jede Faltung kleiner, "
                            "auch die erste."),
                     (NO_STRIDE_FLAT, "Sie haben die Schrittweite 2 der zweiten und dritten Faltung vergessen: "
                                      "Dort springt das Fenster um zwei Pixel, aus "
                                      f"{VALID_WIDTHS[1]} werden nicht {NO_STRIDE_WIDTHS[1]}, sondern "
                                      f"{VALID_WIDTHS[2]}."),
                     (FROM_28_FLAT, f"Sie haben die zweite Faltung bei {VALID_WIDTHS[0]} statt {VALID_WIDTHS[1]} Pixeln "
                                    "beginnen lassen: Auch die erste Faltung (3 × 3) schrumpft das Bild bei "
                                    f"\"valid\", auf {VALID_WIDTHS[1]}."),
                     (VALID_FLAT // VALID_CHANNELS, "Das ist nur eine Merkmalskarte. Flatten legt alle "
                                                    f"{VALID_CHANNELS} Kanäle des Datenwürfels hintereinander.")),
        ),
    ),
    "after_result": (
        Question(
            id="ch11.error_ratio",
            prompt=f"Das Faltungsnetz liest {percent(CONV_ACCURACY)} der Testziffern richtig, das beste dichte Netz "
                   f"aus Kapitel 9 (vier Schichten) {percent(DENSE_ACCURACY)}. Wie stark hat das Faltungsnetz die "
                   "Zahl der Fehler verringert?",
            options=(
                Option("Um knapp ein Prozent – die Genauigkeit ist ja nur um knapp einen Prozentpunkt gestiegen.",
                       False,
                       f"Das ist der Abstand der Genauigkeiten ({de(100 * (CONV_ACCURACY - DENSE_ACCURACY), 2)} "
                       "Prozentpunkte). Gefragt sind die Fehler: Auf 10.000 Testziffern sind es "
                       f"{de(DENSE_ERRORS)} beim dichten Netz und {de(CONV_ERRORS)} beim Faltungsnetz – "
                       "halbiert. Nahe an 100 % zählt jeder Zehntelprozentpunkt."),
                Option("Etwa auf die Hälfte", True,
                       f"Richtig: {de(DENSE_ERRORS)} Fehler beim dichten Netz, {de(CONV_ERRORS)} beim Faltungsnetz "
                       f"(je von 10.000). Der Schritt von {percent(DENSE_ACCURACY)} auf {percent(CONV_ACCURACY)} "
                       "sieht klein aus – in Fehlern gezählt ist er groß."),
                Option("Etwa auf ein Zehntel", False,
                       f"So viel ist es nicht: Ein Zehntel wären rund {de(round(DENSE_ERRORS / 10))} Fehler. Das "
                       f"Faltungsnetz macht {de(CONV_ERRORS)}, das dichte Netz {de(DENSE_ERRORS)} – etwa die Hälfte."),
            ),
        ),
    ),
}
