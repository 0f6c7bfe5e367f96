"""Chapter 5: the code – model.summary, predict and argmax."""
from tutorial import spec as S
from tutorial.deutsch import de
from tutorial.questions import Option, Question

MODEL = S.PRESETS["keras_01_mnist"]
PARAMS = S.param_count(MODEL)

QUESTIONS = {
    "after_model": (
        Question(
            id="ch05.summary_params",
            prompt="Wie viele Parameter meldet model.summary() für das Modell dieses Kapitels – eine "
                   "Dense-Schicht mit zehn Neuronen direkt nach den 784 Pixeln?",
            answer=PARAMS,
            right=f"Richtig: 784 · 10 Gewichte plus 10 Biases = {de(PARAMS)}.",
            wrong="Jedes der zehn Neuronen hat ein Gewicht pro Pixel und einen Bias.",
            typical=((784 * 10, "Fast – das sind nur die Gewichte. Die zehn Biases zählen ebenfalls als "
                                "Parameter."),
                     (794, "Die Zahlen werden multipliziert: Jedes der zehn Neuronen sieht alle 784 Pixel.")),
        ),
    ),
    "after_predict": (
        Question(
            id="ch05.predict_shape",
            prompt="Welche Form hat das Ergebnis von model.predict für eine Batch aus 128 Bildern?",
            options=(
                Option("[128]", False, "Diese Form hat erst das Ergebnis von np.argmax(…, axis=1): eine Ziffer "
                                       "pro Bild. predict liefert vorher zehn Wahrscheinlichkeiten pro Bild."),
                Option("[128, 10]", True, "Richtig: eine Zeile pro Bild, eine Spalte pro Ziffer – die zehn "
                                          "Wahrscheinlichkeiten der softmax-Schicht."),
                Option("[128, 784]", False, "784 ist die Zahl der Eingabewerte (Pixel). Ausgegeben werden die "
                                            "zehn Werte der letzten Schicht."),
            ),
        ),
        Question(
            id="ch05.argmax_axis",
            prompt="Warum steht in np.argmax(probabilities, axis=1) die Achse 1?",
            options=(
                Option("Weil Achse 1 über die zehn Klassen läuft – gesucht ist das Maximum in jeder Zeile.", True,
                       "Richtig: Für jedes Bild (Zeile) wird die Spalte mit der größten Wahrscheinlichkeit "
                       "gesucht; das Ergebnis ist eine Ziffer pro Bild."),
                Option("Weil Achse 1 über die Bilder der Batch läuft.", False,
                       "Über die Bilder läuft Achse 0. Mit axis=0 bekäme man für jede Ziffer das Bild, dem das "
                       "Netz sie am ehesten zutraut – nicht die erkannte Ziffer pro Bild."),
                Option("Weil die Zählung in Python bei 1 beginnt.", False,
                       "In Python und numpy beginnt die Zählung bei 0. Achse 1 ist die zweite Achse, die über "
                       "die zehn Klassen läuft."),
            ),
        ),
    ),
}
