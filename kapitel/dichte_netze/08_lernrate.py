"""Chapter 8: a higher learning rate, the noise it brings, and exponential decay."""
import streamlit as st

from tutorial import presets
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state, views
from tutorial.app import quiz
from tutorial.deutsch import de

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

Stellen Sie außerdem den **»Zoom der Kurven«** auf 5× (die App schlägt diesen Wert meist schon vor): Dann sehen Sie den Bereich nahe Verlust 0 und
Genauigkeit 100 % deutlich größer. Bevor Sie trainieren: Was erwarten Sie – lernt das Netz mit
zehnmal größeren Schritten zehnmal schneller?
""")

st.header("Große Schritte am Anfang, kleine am Ende")
st.markdown("""
Der zweite Teil der Übung probiert einen Mittelweg. Beim Wandern ins Tal (Kapitel 4) lohnen sich weit
oben große Schritte; unten, wo die Sohle schmal ist, tragen sie einen nur über das Ziel hinaus. Also
beginnt man mit der großen Lernrate und verkleinert sie nach jeder Epoche um denselben Faktor. Das heißt
**Lernratenabfall** (*learning rate decay*) oder kurz: Die Lernrate klingt ab. Mit Startwert 0,01 und
Faktor 0,6:

`lr(epoch) = 0,01 · 0,6^epoch` – Keras zählt die Epochen dabei ab 0, in der ersten Epoche gilt also 0,01,
in der zweiten 0,006, in der dritten 0,0036, in der zehnten nur noch gut 0,0001.

In Keras erledigt das ein **Callback** (Kapitel 5: eigener Code, den Keras während des Trainings
aufruft), nämlich `keras.callbacks.LearningRateScheduler`: Er ruft vor jeder Epoche
eine Funktion auf, die die Lernrate für diese Epoche zurückgibt. Vergessen Sie nicht, den Callback auch
an `model.fit` zu übergeben – sonst bleibt er wirkungslos.
""")
st.code("""def lr_decay(epoch):
    return 0.01 * 0.6**epoch

lr_decay_callback = keras.callbacks.LearningRateScheduler(lr_decay, verbose=1)

model.fit(..., callbacks=[lr_decay_callback])""", language="python")

quiz.questions(chapter, "after_decay")

st.subheader("Übung: Lernrate erhöhen, dann abklingen lassen")
st.markdown("""
1. Erhöhen Sie die Lernrate von 0,001 auf **0,01** und trainieren Sie (ohne Abklingen).
2. Schalten Sie dann das **Abklingen** mit dem Faktor **0,6** ein und trainieren Sie erneut.

Das Diagramm darunter zeigt die Lernrate, die in jeder Epoche gilt – es folgt Ihren Reglern sofort.
""")
left, right = st.columns(2)
learning_rate = left.select_slider("Lernrate (Start)", LEARNING_RATES, key=state.keep(f"{KEY}_lr", 0.001, LEARNING_RATES),
                                   format_func=lambda v: de(v, 4).rstrip("0"))
decay_on = right.toggle("Lernrate pro Epoche abklingen lassen", key=state.keep(f"{KEY}_decay_on", False))
decay = right.select_slider("Faktor pro Epoche", DECAYS, key=state.keep(f"{KEY}_decay", 0.6, DECAYS),
                            format_func=lambda v: de(v, 3).rstrip("0"), disabled=not decay_on)

# Adam's default rate without decay is exactly the notebook's keras_02 (optimizer="adam").
lr_arg = None if (learning_rate == S.DEFAULT_LR["adam"] and not decay_on) else learning_rate
spec = S.RunSpec(layers=presets.DENSE_200_60, optimizer="adam", learning_rate=lr_arg,
                 lr_decay=decay if decay_on else None)
views.show_lr_schedule(spec)

exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=5)

st.header("Das Ergebnis")
st.markdown("""
Vergleichen Sie im »Versuchsprotokoll« Ihre Läufe – oder die drei fertigen Läufe dieser App:

| Lernrate | Testziffern richtig | Validierungsverlust, Epoche 1 → 10 |
|---|---|---|
| 0,001 (Voreinstellung von Adam) | 97,60 % | 0,162 → 0,090, mit Rückschritten |
| 0,01, gleichbleibend | 96,90 % | 0,128 → 0,137, springt auf und ab |
| 0,01, Faktor 0,6 pro Epoche | 98,15 % | 0,152 → 0,075, ab Epoche 6 fast flach |

*Zehnmal größere Schritte* machen das Netz nicht besser, sondern unruhig: Ab der dritten Epoche springt die
Validierungsgenauigkeit zwischen 96,4 % und 97,0 % hin und her, der Validierungsverlust zwischen 0,11 und 0,16. Der
Optimierer springt über die schmale Talsohle hinweg, statt sich ihr zu nähern. Sogar der
Trainingsverlust steigt in den Epochen 8 und 9 wieder an.

*Mit Abklingen* bekommt man beides: In den ersten Epochen geht es so schnell voran wie mit 0,01, danach
werden die Schritte fein genug für die Talsohle. Ab der sechsten Epoche liegt die
Validierungsgenauigkeit ruhig bei 98,1 bis 98,2 % – die beste Zahl dieses Kapitels, erreicht mit einer
einzigen Zeile zusätzlichem Code.
""")
loader.preset_note("keras_02_mnist_dense", "ex_08_lr001", "ex_08_lr_decay")

quiz.questions(chapter, "after_result")

page.end(chapter)
