"""Chapter 5: the code – steps per epoch, predict and argmax."""
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import de
from tutorial.questions.model import Option, Question

MODEL = presets.PRESETS["keras_01_mnist"]
SMALL = MODEL.with_(batch_size=64)

QUESTIONS = {
    "after_fit": (
        Question(
            id="ch05.steps_batch64",
            prompt=f"Sie setzen `BATCH_SIZE = {SMALL.batch_size}` statt 128. Welchen Wert bekommt "
                   f"`steps_per_epoch = {S.TRAIN_SIZE} // BATCH_SIZE`?",
            answer=SMALL.steps_per_epoch,
            right=f"Richtig: {de(S.TRAIN_SIZE)} ÷ {SMALL.batch_size} = {de(S.TRAIN_SIZE / SMALL.batch_size, 1)}, "
                  f"abgerundet {de(SMALL.steps_per_epoch)}. Halb so große Batches, also rund doppelt so viele Schritte pro Epoche.",
            wrong=f"Teilen Sie {de(S.TRAIN_SIZE)} durch {SMALL.batch_size}; `//` rundet das Ergebnis ab.",
            typical=((SMALL.steps_per_epoch + 1, "Fast: `//` ist die ganzzahlige Division und rundet ab."),
                     (MODEL.steps_per_epoch, "Das ist der Wert für Batches zu 128. Mit kleineren Batches braucht "
                                             "eine Epoche mehr Schritte.")),
        ),
    ),
    "after_predict": (
        Question(
            id="ch05.predict_shape",
            prompt="Welche Form hat das Ergebnis von model.predict für einen Batch aus 128 Bildern?",
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
                Option("Weil Achse 1 über die Bilder des Batches läuft.", False,
                       "Über die Bilder läuft Achse 0. Mit axis=0 bekäme man für jede Ziffer das Bild, dem das "
                       "Netz sie am ehesten zutraut – nicht die erkannte Ziffer pro Bild."),
                Option("Weil die Zählung in Python bei 1 beginnt.", False,
                       "In Python und NumPy beginnt die Zählung bei 0. Achse 1 ist die zweite Achse, die über "
                       "die zehn Klassen läuft."),
            ),
        ),
    ),
}
