"""Chapter 12: dropout between the dense layers of the conv network (keras_04)."""
import streamlit as st

from tutorial import presets
from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state
from tutorial.app import quiz

RATES = [0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_dropout": 0.4}

st.markdown("""
In Kapitel 9 hat **Dropout** enttäuscht: Die Lücke zwischen Trainings- und Validierungsverlust ging zu,
aber das Ergebnis wurde schlechter. Das Faltungsnetz aus Kapitel 11 zeigt dasselbe Symptom, einen
Validierungsverlust, der nach der vierten Epoche wieder steigt. Ist es diesmal echte **Überanpassung**,
gegen die Dropout hilft? Das lässt sich nicht am Schreibtisch entscheiden, nur ausprobieren.

Dropout kommt hier zwischen die beiden dichten Schichten, also hinter die Schicht mit 200 Neuronen und
vor die softmax-Schicht. Das Codelab nimmt die Rate 40 %:
""")
st.code("""keras.layers.Dense(200, activation="relu"),
keras.layers.Dropout(0.4),
keras.layers.Dense(10, activation="softmax"),""", language="python")
st.markdown("""
**Warum nicht auch in den Faltungsschichten?** Dort stecken wenige Parameter: Die drei Faltungen dieses
Netzes haben zusammen 38.192, die dichte Schicht mit 200 Neuronen allein 313.800. Wo wenige Gewichte
sind, gibt es wenig auswendig zu lernen und wenig Absprachen zwischen Neuronen, die Dropout stören
könnte. Außerdem hängen benachbarte Werte einer Merkmalskarte eng zusammen; fehlt einer, verrät sein
Nachbar fast dasselbe. Dropout auf Faltungsschichten ist möglich, bringt aber meist wenig; dieses Kapitel
bleibt bei der dichten Schicht.
""")

st.subheader("Übung: Dropout zwischen die dichten Schichten")
rate = st.select_slider("Dropout-Rate zwischen Dense(200) und Dense(10)", RATES,
                        key=state.keep(f"{KEY}_dropout", 0.0, RATES), format_func=lambda r: f"{round(100 * r)} %")
conv = presets.PRESETS["ex_11_conv_no_dropout"].layers[:-1]          # Reshape … Dense(200)
spec = S.RunSpec(layers=(*conv, *([L.Dropout(float(rate))] if rate > 0 else []), L.Dense(10, "softmax")),
                 optimizer="adam", learning_rate=0.01, lr_decay=0.6)
exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=16,
            solution_text="Die Lösung entspricht dem Notizbuch `keras_04_mnist_convolutional.ipynb`.")

st.header("Diesmal hat es funktioniert")
st.markdown("""
Vergleichen Sie Ihre beiden Läufe im »Versuchsprotokoll« – oder die fertigen Läufe dieser App:

| | ohne Dropout (Kapitel 11) | mit Dropout 0,4 |
|---|---|---|
| kleinster Validierungsverlust | 0,036 (Epoche 4) | 0,028 (Epoche 4) |
| Validierungsverlust nach 10 Epochen | 0,047 | 0,030 |
| Testziffern richtig | 99,12 % (88 Fehler) | 99,25 % (75 Fehler) |

Diesmal hilft Dropout. Ganz verschwunden ist die Überanpassung nicht: Auch mit Dropout steigt der
Validierungsverlust nach der vierten Epoche noch ein wenig, von 0,028 auf 0,030 – die Grafik zur
Überanpassung in Kapitel 9 markiert deshalb auch diesen Lauf. Aber der Anstieg ist viel kleiner als ohne Dropout
(0,036 auf 0,047), der Verlust liegt ab der dritten Epoche in jeder Epoche darunter, und 13 Testziffern
mehr werden richtig gelesen. Das Netz hat mehr allgemeine Merkmale gelernt und weniger auswendig.
""")
loader.preset_note("ex_11_conv_no_dropout", "keras_04_mnist_convolutional")
st.markdown("""

### Gleiches Symptom, andere Ursache

Stellen Sie die beiden Dropout-Versuche nebeneinander:

| | Kapitel 9: dichtes Netz | Kapitel 12: Faltungsnetz |
|---|---|---|
| Validierungsverlust am Ende, ohne → mit Dropout | 0,079 → 0,090 (schlechter) | 0,047 → 0,030 (besser) |
| Testziffern richtig, ohne → mit Dropout | 98,23 % → 97,74 % | 99,12 % → 99,25 % |

Beide Netze zeigten vorher dieselben auseinanderlaufenden Kurven. Beim dichten Netz war der Engpass
aber die **Architektur**: Es konnte die Nachbarschaft der Pixel nicht sehen, und daran ändert keine
Regularisierung etwas. Das Faltungsnetz sieht diese Information; sein Problem war, dass es mit
reichlich **Freiheitsgraden** auch Einzelheiten der Trainingsbilder lernte – genau dagegen wirkt
Dropout. Die Kurven allein verraten den Unterschied nicht. Wer den Grund kennen will, probiert die
Abhilfe aus und misst, ob sie wirkt.
""")

quiz.questions(chapter, "after_exercise")

page.end(chapter)
