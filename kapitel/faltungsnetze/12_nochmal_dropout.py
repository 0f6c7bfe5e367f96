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
Das Faltungsnetz aus Kapitel 11 zeigt das Symptom aus Kapitel 9: Sein Validierungsverlust steigt nach der
vierten Epoche wieder, während der Trainingsverlust gegen null geht. In Kapitel 9 hat **Dropout** dagegen
nichts genützt. Ob es diesmal hilft, lässt sich nicht am Schreibtisch entscheiden – probieren Sie es aus.
""")

st.subheader("Übung: Dropout zwischen die dichten Schichten")
st.markdown("""
Das Netz ist das aus Kapitel 11, mit einem einzigen neuen Regler: der Dropout-Rate zwischen der dichten
Schicht mit 200 Neuronen und der softmax-Schicht. Trainieren Sie mit der Rate 40 % (die Rate des Codelabs),
wenn Sie mögen auch ein zweites Mal mit einer anderen, und vergleichen Sie die linke Grafik mit der aus
Kapitel 11.
""")
rate = st.select_slider("Dropout-Rate zwischen Dense(200) und Dense(10)", RATES,
                        key=state.keep(f"{KEY}_dropout", 0.0, RATES), format_func=lambda r: f"{round(100 * r)} %")
conv = presets.PRESETS["ex_11_conv_no_dropout"].layers[:-1]          # Reshape … Dense(200)
spec = S.RunSpec(layers=(*conv, *([L.Dropout(float(rate))] if rate > 0 else []), L.Dense(10, "softmax")),
                 optimizer="adam", learning_rate=0.01, lr_decay=0.6)
st.caption("Im Keras-Code der Übung steht die neue Schicht zwischen den beiden dichten Schichten, bei 40 %: "
           "`keras.layers.Dropout(0.4)`.")
exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=16,
            solution_text="Die Lösung entspricht dem Notizbuch `keras_04_mnist_convolutional.ipynb`.")

st.header("Warum Dropout nur an einer Stelle?")
st.markdown("""
Zählen Sie nach, wo die Parameter des Netzes stecken: Die drei Faltungen haben zusammen 38.192, die dichte
Schicht mit 200 Neuronen allein 313.800. Wo so viele Gewichte sind, gibt es viel Platz zum Auswendiglernen
und viele Neuronen, die sich aufeinander verlassen könnten – dort setzt die Übung den Regler an. In den
Faltungen dagegen teilen sich alle Positionen dieselben wenigen Gewichte, und benachbarte Werte einer
Merkmalskarte hängen eng zusammen: Fehlt einer, verrät sein Nachbar fast dasselbe. Dropout auf
Faltungsschichten ist möglich, bringt aber meist wenig; dieses Kapitel bleibt bei der dichten Schicht.
""")

st.header("Was Ihr Lauf zeigt")
if quiz.after_run(chapter):
    st.markdown("""
Legen Sie Ihre Läufe im »Versuchsprotokoll« übereinander – oder vergleichen Sie die fertigen Läufe dieser
App:

| | ohne Dropout (Kapitel 11) | mit Dropout 0,4 |
|---|---|---|
| kleinster Validierungsverlust | 0,036 (Epoche 4) | 0,028 (Epoche 4) |
| Validierungsverlust nach 10 Epochen | 0,047 | 0,030 |
| Testziffern richtig | 99,12 % (88 Fehler) | 99,25 % (75 Fehler) |

Diesmal hilft Dropout: Der Validierungsverlust liegt ab der dritten Epoche in jeder Epoche unter dem Lauf
ohne Dropout, und 13 Testziffern mehr werden richtig gelesen. Ganz verschwunden ist die **Überanpassung**
nicht. Auch mit Dropout steigt der Validierungsverlust nach der vierten Epoche noch ein wenig, von 0,028
auf 0,030 – die Grafik zur Überanpassung in Kapitel 9 markiert deshalb auch diesen Lauf. Aber der Anstieg
ist viel kleiner als ohne Dropout (von 0,036 auf 0,047). Das Netz hat mehr allgemeine Merkmale gelernt und
weniger auswendig.
""")
    loader.preset_note("ex_11_conv_no_dropout", "keras_04_mnist_convolutional")

    st.subheader("Gleiches Symptom, andere Ursache")
    st.markdown("""
Stellen Sie die beiden Dropout-Versuche des Kurses nebeneinander:

| | Kapitel 9: dichtes Netz | Kapitel 12: Faltungsnetz |
|---|---|---|
| Validierungsverlust am Ende, ohne → mit Dropout | 0,079 → 0,090 (schlechter) | 0,047 → 0,030 (besser) |
| Testziffern richtig, ohne → mit Dropout | 98,23 % → 97,74 % | 99,12 % → 99,25 % |

Beide Netze zeigten vorher dieselben auseinanderlaufenden Kurven. Beim dichten Netz lag der Engpass aber in
der **Architektur**: Es konnte die Nachbarschaft der Pixel nicht sehen, und daran ändert keine
Regularisierung etwas. Das Faltungsnetz sieht diese Information; sein Problem war, dass es mit reichlich
**Freiheitsgraden** auch Einzelheiten der Trainingsbilder lernte – genau dagegen wirkt Dropout. Die Kurven
allein verraten den Unterschied nicht. Wer den Grund wissen will, probiert die Abhilfe aus und misst, ob
sie wirkt.
""")
    quiz.questions(chapter, "after_exercise")

page.end(chapter)
