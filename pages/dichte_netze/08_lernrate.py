"""Chapter 8: a higher learning rate, the noise it brings, and exponential decay."""
import streamlit as st

from tutorial import spec as S
from tutorial import ui
from tutorial.app import page

LEARNING_RATES = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]
DECAYS = [0.3, 0.4, 0.5, 0.6, 0.666, 0.7, 0.8, 0.9, 0.95]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_lr": 0.01, f"{KEY}_decay_on": True, f"{KEY}_decay": 0.6}

st.markdown("""
Das Netz aus Kapitel 7 lernt zuverlässig. Geht es auch schneller? Die **Lernrate** bestimmt, wie groß
jeder Korrekturschritt des Optimierers ist. Adam verwendet von sich aus 0,001. Versuchen wir es zehnmal
so groß.

Dafür reicht der Kurzname `"adam"` nicht mehr: Man erzeugt den Optimierer selbst und übergibt die
Lernrate als Argument – in Keras 3 heißt es `learning_rate` (ältere Beispiele schreiben noch `lr`):

```python
optimizer=keras.optimizers.Adam(learning_rate=0.01)
```

Stellen Sie außerdem den **Zoom auf 5**: Dann sehen Sie den Bereich nahe Verlust 0 und Genauigkeit
100 % deutlich größer.
""")

st.header("Zu schnell: Rauschen")
st.markdown("""
Mit 0,01 wird das Training nicht besser, sondern unruhig. Die Trainingskurven zittern stark, und die
Validierungskurven springen von Epoche zu Epoche auf und ab. Das ist das typische Bild einer zu großen
Lernrate: Die Schritte sind so lang, dass der Optimierer über den Boden des Tals hinwegspringt, statt
sich ihm zu nähern. Man könnte zur kleinen Lernrate zurückkehren – es gibt aber eine bessere Lösung.

**Lernratenabfall** (*learning rate decay*): schnell beginnen und die Lernrate dann Epoche für Epoche
exponentiell verkleinern. Am Anfang, weit vom Ziel entfernt, sind große Schritte nützlich; nahe am
Minimum braucht es kleine, damit der Optimierer nicht um das Ziel herumspringt:

`lr(epoch) = 0,01 · 0,6^epoch` – in Epoche 1 also 0,01, in Epoche 2 0,006, in Epoche 3 0,0036 und so
weiter.

In Keras erledigt das der Callback `keras.callbacks.LearningRateScheduler`: Er ruft vor jeder Epoche
eine Funktion auf, die die Lernrate für diese Epoche zurückgibt. Vergessen Sie nicht, den Callback auch
an `model.fit` zu übergeben – sonst bleibt er wirkungslos.
""")
st.code("""def lr_decay(epoch):
    return 0.01 * 0.6**epoch

lr_decay_callback = keras.callbacks.LearningRateScheduler(lr_decay, verbose=1)

model.fit(..., callbacks=[lr_decay_callback])""", language="python")

st.subheader("Übung: Lernrate erhöhen, dann abklingen lassen")
st.markdown("""
1. Erhöhen Sie die Lernrate von 0,001 auf **0,01** und trainieren Sie (ohne Abklingen).
2. Schalten Sie dann das **Abklingen** mit dem Faktor **0,6** ein und trainieren Sie erneut.

Das Diagramm darunter zeigt die Lernrate, die in jeder Epoche gilt – es folgt Ihren Reglern sofort.
""")
left, right = st.columns(2)
learning_rate = left.select_slider("Lernrate (Start)", LEARNING_RATES, key=ui.state(f"{KEY}_lr", 0.001),
                                   format_func=lambda v: ui.de(v, 4).rstrip("0"))
decay_on = right.toggle("Lernrate pro Epoche abklingen lassen", key=ui.state(f"{KEY}_decay_on", False))
decay = right.select_slider("Faktor pro Epoche", DECAYS, key=ui.state(f"{KEY}_decay", 0.6),
                            format_func=lambda v: ui.de(v, 3).rstrip("0"), disabled=not decay_on)

# Adam's default rate without decay is exactly the notebook's keras_02 (optimizer="adam").
lr_arg = None if (learning_rate == S.DEFAULT_LR["adam"] and not decay_on) else learning_rate
spec = S.RunSpec(layers=S.DENSE_200_60, optimizer="adam", learning_rate=lr_arg,
                 lr_decay=decay if decay_on else None)
ui.show_lr_schedule(spec)

ui.exercise(spec, "ex_08_lr_decay", KEY, apply_solution=SOLUTION, chapter=chapter.label, zoom=5)

st.header("Das Ergebnis")
st.markdown("""
Die Wirkung dieser kleinen Änderung ist verblüffend: Das meiste Rauschen verschwindet, und die
Validierungsgenauigkeit liegt nun stabil **über 98 %**. Vergleichen Sie im Versuchsprotokoll die drei
Läufe – Lernrate 0,001, Lernrate 0,01 und 0,01 mit Abklingen.
""")
ui.preset_note("keras_02_mnist_dense", "ex_08_lr001", "ex_08_lr_decay")

page.end(chapter)
