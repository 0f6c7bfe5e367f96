"""Chapter 10: convolution – output sizes, padding, parameters of a filter bank."""
from tutorial import layers as L
from tutorial import spec as S
from tutorial.deutsch import de
from tutorial.questions.model import Question


def out_width(kernel: int, stride: int, padding: str, size: int = 28) -> int:
    row = S.layer_table([L.Reshape((size, size, 1)), L.Conv2D(1, kernel, stride, padding)])[-1]
    return row["output_shape"][0]


def conv_params(filters: int, kernel: int, channels: int) -> int:
    """Parameters of Conv2D(filters, kernel) after a layer that gives ``channels`` channels."""
    return S.layer_table([L.Reshape(), L.Conv2D(channels, 3, 1), L.Conv2D(filters, kernel, 2)])[-1]["params"]


STRIDE2 = out_width(3, 2, "same")
VALID3 = out_width(3, 1, "valid")
CONV2 = conv_params(24, 6, 12)
ONE_FILTER = S.layer_table([L.Reshape((28, 28, 1)), L.Conv2D(1, 3, 1, "same")])[-1]
FILTER = ONE_FILTER["params"]                                           # one 3 × 3 filter with its bias
POSITIONS = ONE_FILTER["output_shape"][0] * ONE_FILTER["output_shape"][1]   # where it is applied

QUESTIONS = {
    "after_filter": (
        Question(
            id="ch10.filter_params",
            prompt=f"Ein einzelner 3 × 3-Filter mit Bias gleitet mit padding=\"same\" über ein 28 × 28-Bild und "
                   f"berechnet an jeder der {de(POSITIONS)} Positionen einen Wert. Wie viele Parameter hat er?",
            answer=FILTER,
            right=f"Richtig: neun Gewichte und ein Bias, zusammen {FILTER} – an allen {de(POSITIONS)} Positionen "
                  "dieselben (shared weights). Ein Neuron einer dichten Schicht, das alle Pixel sieht, braucht "
                  f"{de(POSITIONS + 1)}.",
            wrong="Zählen Sie die Gewichte des Filters und seinen Bias. Wie oft er angewendet wird, spielt für "
                  "die Zahl der Parameter keine Rolle.",
            typical=((FILTER - 1, "Fast – der Bias fehlt: Zur gewichteten Summe der neun Pixel kommt eine "
                                  "lernbare Zahl dazu, wie bei jedem Neuron."),
                     (POSITIONS * FILTER, "So viele wären es, wenn jede Position eigene Gewichte hätte. Genau "
                                          f"das spart die Faltung: Dieselben {de(FILTER)} Zahlen werden an jeder Stelle "
                                          "benutzt."),
                     (POSITIONS + 1, "So viele hat ein Neuron einer dichten Schicht, das alle "
                                     f"{de(POSITIONS)} Pixel sieht. Der Filter sieht immer nur 3 × 3 Pixel.")),
        ),
        Question(
            id="ch10.valid",
            prompt="Ein 3 × 3-Filter gleitet mit Schrittweite 1 und padding=\"valid\" über ein 28 × 28-Bild. Wie "
                   "breit ist die Merkmalskarte?",
            answer=VALID3,
            right=f"Richtig: Das Fenster bleibt ganz im Bild, es passt an 28 − 3 + 1 = {VALID3} Positionen.",
            wrong="Zählen Sie, an wie vielen Positionen ein 3 Pixel breites Fenster ganz in eine 28 Pixel breite "
                  "Zeile passt.",
            typical=((28, "28 gäbe es mit padding=\"same\" – dort wird der Rand mit Nullen aufgefüllt. Bei "
                          "\"valid\" bleibt das Fenster ganz im Bild, die Karte wird etwas kleiner."),
                     (25, "Fast: Das Fenster passt an 28 − 3 + 1 Positionen – die erste Position zählt mit.")),
        ),
    ),
    "after_stride": (
        Question(
            id="ch10.stride2",
            prompt="Eine Faltung mit Schrittweite 2 und padding=\"same\" bekommt ein 28 × 28-Bild. Wie breit ist "
                   "ihre Ausgabe?",
            answer=STRIDE2,
            right=f"Richtig: Das Fenster springt um zwei Pixel, Höhe und Breite halbieren sich: 28 → {STRIDE2}.",
            wrong="Mit Schrittweite 2 entsteht nur an jeder zweiten Position ein Ausgabewert.",
            typical=((28, "28 bliebe es nur bei Schrittweite 1. Mit Schrittweite 2 halbieren sich Höhe und "
                          "Breite."),
                     (13, "13 ergäbe sich mit padding=\"valid\" und einem 3 × 3-Filter. Mit \"same\" wird "
                          "aufgerundet: 28 ÷ 2 = 14."),
                     (7, "7 × 7 entsteht erst nach zwei Faltungen mit Schrittweite 2 (28 → 14 → 7).")),
        ),
        Question(
            id="ch10.conv_params",
            prompt="Eine Faltungsschicht mit 24 Filtern der Größe 6 × 6 bekommt einen Datenwürfel mit 12 Kanälen. "
                   "Wie viele Parameter hat sie?",
            answer=CONV2,
            right=f"Richtig: 6 · 6 · 12 · 24 = {de(6 * 6 * 12 * 24)} Gewichte plus 24 Biases = {de(CONV2)}.",
            wrong="Jeder Filter reicht durch alle Eingangskanäle: Kernhöhe × Kernbreite × Eingangskanäle × "
                  "Filter, dazu ein Bias pro Filter.",
            typical=((6 * 6 * 12 * 24, "Fast – es fehlen die 24 Biases, einer pro Filter."),
                     (6 * 6 * 24 + 24, "Sie haben die 12 Eingangskanäle vergessen: Jeder Filter reicht durch "
                                       "alle Kanäle des Datenwürfels.")),
        ),
    ),
}
