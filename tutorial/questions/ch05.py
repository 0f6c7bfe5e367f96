"""Chapter 5: the code – steps per epoch, predict and what argmax does along an axis."""
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import de
from tutorial.questions.model import Option, Question

MODEL = presets.PRESETS["keras_01_mnist"]
SMALL = MODEL.with_(batch_size=64)
BATCH = MODEL.batch_size
CLASSES = S.layer_table(MODEL)[-1]["output_shape"][-1]      # the softmax layer's outputs: one per digit
PIXELS = 28 * 28                                             # the input of the first layer

QUESTIONS = {
    "after_fit": (
        Question(
            id="ch05.steps_batch64",
            prompt=f"Sie setzen `BATCH_SIZE = {SMALL.batch_size}` statt {BATCH}. Welchen Wert bekommt "
                   f"`steps_per_epoch = {S.TRAIN_SIZE} // BATCH_SIZE`?",
            answer=SMALL.steps_per_epoch,
            right=f"Richtig: {de(S.TRAIN_SIZE)} ÷ {SMALL.batch_size} = {de(S.TRAIN_SIZE / SMALL.batch_size, 1)}, "
                  f"abgerundet {de(SMALL.steps_per_epoch)}. Halb so große Batches, also rund doppelt so viele Schritte pro Epoche.",
            wrong=f"Teilen Sie {de(S.TRAIN_SIZE)} durch {SMALL.batch_size}; `//` rundet das Ergebnis ab.",
            typical=((SMALL.steps_per_epoch + 1, "Fast: `//` ist die ganzzahlige Division und rundet ab."),
                     (MODEL.steps_per_epoch, f"Das ist der Wert für Batches zu {BATCH}. Mit kleineren Batches braucht "
                                             "eine Epoche mehr Schritte.")),
        ),
    ),
    "after_predict": (
        Question(
            id="ch05.predict_count",
            prompt=f"Sie geben `model.predict` alle {de(S.TEST_SIZE)} Testziffern auf einmal. Wie viele Zahlen "
                   "liefert es zurück?",
            answer=S.TEST_SIZE * CLASSES,
            right=f"Richtig: eine Zeile pro Bild und eine Spalte pro Ziffer, die Form `[{S.TEST_SIZE}, {CLASSES}]` – "
                  f"{de(S.TEST_SIZE)} · {CLASSES} = {de(S.TEST_SIZE * CLASSES)} Wahrscheinlichkeiten. Erst "
                  f"`np.argmax(…, axis=1)` macht daraus {de(S.TEST_SIZE)} erkannte Ziffern.",
            wrong=f"predict liefert für jedes Bild die Ausgabe der letzten Schicht: {CLASSES} Wahrscheinlichkeiten. "
                  f"Wie viele sind das für {de(S.TEST_SIZE)} Bilder?",
            typical=((S.TEST_SIZE, f"Das ist eine Zahl pro Bild – so viele liefert erst `np.argmax(…, axis=1)`, die "
                                   f"erkannten Ziffern. predict selbst gibt für jedes Bild alle {CLASSES} "
                                   "Wahrscheinlichkeiten zurück."),
                     (CLASSES, f"So viele Zahlen gibt es für ein einziges Bild. predict rechnet aber alle "
                               f"{de(S.TEST_SIZE)} Bilder, eine Zeile pro Bild."),
                     (S.TEST_SIZE * PIXELS, f"Das sind die Eingabewerte: {de(PIXELS)} Pixel pro Bild. Heraus kommt, "
                                            f"was die letzte Schicht liefert: {CLASSES} Werte pro Bild."),
                     (BATCH * CLASSES, f"Das wäre ein Batch aus {BATCH} Bildern. Hier sind es alle "
                                       f"{de(S.TEST_SIZE)} Testziffern auf einmal.")),
        ),
        Question(
            id="ch05.argmax_axis0",
            prompt=f"`probabilities = model.predict(images)` hat für einen Batch aus {BATCH} Bildern die Form "
                   f"`[{BATCH}, {CLASSES}]`: Achse 0 läuft über die Bilder, Achse 1 über die Ziffern. Aus "
                   "Versehen steht im Code `np.argmax(probabilities, axis=0)`. Welche Form hat das Ergebnis?",
            options=(
                Option(f"`[{BATCH}]`", False,
                       f"Das ist das Ergebnis mit `axis=1`. argmax lässt genau die Achse verschwinden, entlang der es "
                       f"sucht: Bei `axis=0` verschwinden die {BATCH} Bilder, nicht die {CLASSES} Ziffern."),
                Option(f"`[{CLASSES}]`", True,
                       f"Richtig: Mit `axis=0` sucht argmax in jeder *Spalte* – für jede der {CLASSES} Ziffern das "
                       f"Bild, dem das Netz diese Ziffer am ehesten zutraut. Heraus kommen {CLASSES} Bildnummern "
                       f"zwischen 0 und {BATCH - 1}, keine erkannten Ziffern – ein Fehler, den keine Meldung verrät."),
                Option(f"`[{BATCH}, {CLASSES}]`", False,
                       "argmax gibt nicht für jeden Eintrag etwas zurück: Es ersetzt eine ganze Achse durch die "
                       "Position ihres größten Werts. Die Tabelle wird also um eine Achse kürzer."),
                Option("eine einzige Zahl", False,
                       "Eine einzige Zahl liefert `np.argmax` ohne `axis`: die Position des größten Werts in der ganzen, "
                       f"flach gelegten Tabelle. Mit `axis=0` bleibt die andere Achse mit ihren {CLASSES} Einträgen "
                       "erhalten."),
            ),
        ),
    ),
}
