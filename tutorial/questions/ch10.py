"""Chapter 10: convolution – output sizes, padding, parameters of a filter bank."""
from tutorial import layers as L
from tutorial import spec as S
from tutorial.deutsch import de
from tutorial.questions.model import Option, Question


def out_width(kernel: int, stride: int, padding: str, size: int = 28) -> int:
    row = S.layer_table([L.Reshape((size, size, 1)), L.Conv2D(1, kernel, stride, padding)])[-1]
    return row["output_shape"][0]


def conv_params(filters: int, kernel: int, channels: int) -> int:
    """Parameters of Conv2D(filters, kernel) after a layer that gives ``channels`` channels."""
    return S.layer_table([L.Reshape(), L.Conv2D(channels, 3, 1), L.Conv2D(filters, kernel, 2)])[-1]["params"]


STRIDE2 = out_width(3, 2, "same")
VALID3 = out_width(3, 1, "valid")
CONV2 = conv_params(24, 6, 12)

QUESTIONS = {
    "after_filter": (
        Question(
            id="ch10.shared_weights",
            prompt="Warum braucht eine Faltungsschicht so viel weniger Parameter als eine dichte Schicht?",
            options=(
                Option("Weil jeder Filter dieselben wenigen Gewichte an jeder Stelle des Bildes verwendet.", True,
                       "Richtig: Ein 3 × 3-Filter hat neun Gewichte und einen Bias, egal wie groß das Bild ist "
                       "(shared weights)."),
                Option("Weil sie nur jedes zweite Pixel betrachtet.", False,
                       "Auch mit Schrittweite 1, die jedes Pixel betrachtet, bleibt die Zahl der Gewichte klein: "
                       "Sie hängt nur von Kerngröße und Kanälen ab, nicht vom Bild."),
                Option("Weil sie keinen Bias hat.", False,
                       "Jeder Filter hat normalerweise einen Bias. Gespart wird, weil dieselben Gewichte an "
                       "allen Positionen wiederverwendet werden."),
            ),
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
