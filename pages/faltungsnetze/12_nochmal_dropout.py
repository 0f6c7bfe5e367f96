"""Chapter 12: dropout between the dense layers of the conv network (keras_04)."""
import streamlit as st

from tutorial import spec as S
from tutorial import ui
from tutorial.app import page

RATES = [0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_dropout": 0.4}

st.markdown("""
Das Faltungsnetz aus Kapitel 11 zeigt deutliche Zeichen von Überanpassung: Der Validierungsverlust
steigt wieder, und die 99 % sind nur knapp erreicht. Einen zweiten Versuch mit Dropout ist es wert.

Dropout gehört hier **zwischen die beiden dichten Schichten**, also hinter die Schicht mit 200 Neuronen
und vor die softmax-Schicht. Das Notizbuch verwendet die Rate 40 %:
""")
st.code("""keras.layers.Dense(200, activation="relu"),
keras.layers.Dropout(0.4),
keras.layers.Dense(10, activation="softmax"),""", language="python")
st.markdown("""
**Und die Faltungsschichten?** Dropout lässt sich auch dort einsetzen, wirkt aber anders und meist
schwächer. Eine Faltungsschicht hat nur wenige Gewichte – ihre Filter werden über das ganze Bild
wiederverwendet –, und damit gibt es weniger Gelegenheit für das ungünstige Zusammenspiel einzelner
Neuronen, gegen das Dropout hilft. Hier bleibt es deshalb bei der dichten Schicht.
""")

st.subheader("Übung: Dropout zwischen die dichten Schichten")
rate = st.select_slider("Dropout-Rate zwischen Dense(200) und Dense(10)", RATES,
                        key=ui.state(f"{KEY}_dropout", 0.0), format_func=lambda r: f"{round(100 * r)} %")
conv = S.PRESETS["ex_11_conv_no_dropout"].layers[:-1]          # Reshape … Dense(200)
spec = S.RunSpec(layers=(*conv, *([S.Dropout(float(rate))] if rate > 0 else []), S.Dense(10, "softmax")),
                 optimizer="adam", learning_rate=0.01, lr_decay=0.6)
ui.exercise(spec, "keras_04_mnist_convolutional", KEY, apply_solution=SOLUTION, chapter=chapter.label, zoom=16,
            solution_text="Die Lösung entspricht dem Notizbuch `keras_04_mnist_convolutional.ipynb`.")

st.header("Diesmal hat es funktioniert")
st.markdown("""
Der Validierungsverlust schleicht nicht mehr nach oben, und die Genauigkeit liegt jetzt **klar über
99 %**. Herzlichen Glückwunsch!
""")
ui.preset_note("ex_11_conv_no_dropout", "keras_04_mnist_convolutional")
st.markdown("""

### Die eigentliche Lehre

In Kapitel 9 sah es nach Überanpassung aus, und Dropout half nicht. Der Grund lag woanders: in der
**Architektur**. Ein dichtes Netz, das die Bildform nicht kennt, kam nicht weiter – daran konnte kein
Dropout etwas ändern. Hier dagegen war Überanpassung tatsächlich die Ursache, und Dropout wirkte.

Ein Validierungsverlust, der sich von der Trainingskurve löst und wieder steigt, kann also
verschiedene Ursachen haben:

- **Überanpassung** im engen Sinn: zu viele Freiheitsgrade, die das Netz schlecht nutzt – dagegen hilft
  Dropout;
- ein **zu kleiner Datensatz**;
- eine **ungeeignete Architektur**.

In den letzten beiden Fällen sehen die Kurven ähnlich aus, doch Dropout bringt nichts. Es lohnt sich,
nach der Ursache zu fragen, bevor man an Reglern dreht.
""")

page.end(chapter)
