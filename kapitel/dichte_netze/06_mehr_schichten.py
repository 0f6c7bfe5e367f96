"""Chapter 6: more dense layers (sigmoid) – the exercise first, then what the learner built, then (after a
run) why the result disappoints."""
import streamlit as st

from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state
from tutorial.app.chrome import number_box
from tutorial.app import quiz

DEFAULT_UNITS = (200, 60, 30, 20)
ACTIVATIONS = ["sigmoid", "relu"]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_hidden": 2, f"{KEY}_units_0": 200, f"{KEY}_units_1": 60, f"{KEY}_activation": "sigmoid"}


st.markdown("""
Das Netz aus Kapitel 3 hat nur eine Schicht: Jedes der zehn Ausgabeneuronen bildet direkt eine gewichtete
Summe der 784 Pixel. Nach zehn Epochen erkennt es rund 90 % der Testziffern, und auch mit viel längerem
Training kommt eine einzelne Schicht kaum über 92 % hinaus. Liegt es daran, dass sie zu klein ist? Das
probieren Sie jetzt aus: Zwischen die Pixel und die Ausgabe kommen weitere dichte Schichten, die
**Zwischenschichten**.
""")

st.subheader("Übung: Zwischenschichten einfügen")
st.markdown("""
Stellen Sie unten zwei Zwischenschichten ein, zum Beispiel mit 200 und 60 Neuronen, lassen Sie die
Aktivierung auf sigmoid und trainieren Sie. Alles andere bleibt wie in Kapitel 3, auch der Optimierer SGD.
Über dem Knopf »Trainieren« zeigt die App, wie viele Parameter Ihr Netz hat.
""")

count = st.slider("Anzahl der Zwischenschichten", min_value=0, max_value=4,
                  key=state.keep(f"{KEY}_hidden", 0, range(0, 4 + 1)))
units = []
if count:
    columns = st.columns(4)
    for i in range(count):
        units.append(number_box.whole_number(f"Neuronen in Schicht {i + 1}", 10, 784, step=10, container=columns[i],
                                         key=state.keep(f"{KEY}_units_{i}", DEFAULT_UNITS[i])))
activation = st.radio("Aktivierung der Zwischenschichten", ACTIVATIONS, horizontal=True,
                      key=state.keep(f"{KEY}_activation", "sigmoid", ACTIVATIONS), disabled=count == 0)

spec = (S.RunSpec(layers=(*[L.Dense(int(u), activation) for u in units], L.Dense(10, "softmax")), optimizer="sgd")
        if None not in units else None)   # a box out of range has said so in German
exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=1)

st.subheader("Was Sie gebaut haben")
st.markdown("""
Schalten Sie »Code anzeigen« ein, dann sehen Sie Ihr Netz als Keras-Code. Die letzte Schicht ist
dieselbe wie in Kapitel 3: zehn Neuronen mit **softmax**, denn am Ende braucht es weiterhin eine
Wahrscheinlichkeit pro Ziffer. Davor stehen Ihre Zwischenschichten mit **sigmoid**, einer Kurve, die jede
Summe weich zwischen 0 und 1 einpasst – jahrzehntelang die übliche Wahl, darum kommt sie hier zuerst.

Wie viele Neuronen eine Zwischenschicht hat, ihre **Breite**, legen Sie fest. Bewährt hat sich ein
Trichter: Jede Schicht ist schmaler als die vorige, von 784 Pixeln bis zu den 10 Ausgaben, etwa
784 → 200 → 60 → 10. Jede Schicht bringt Eingaben × Neuronen Gewichte und einen Bias pro Neuron mit; die
Eingaben einer Schicht sind die Neuronen der Schicht davor. Rechnen Sie es für Ihr Netz nach; die
Fragen am Ende der Seite verlangen genau das.
""")

with st.expander("Wenn Sie später im Notizbuch arbeiten", icon=":material/restart_alt:"):
    st.markdown("""
»Trainieren« baut in dieser App bei jedem Klick ein frisches Modell mit neuen Zufallsgewichten. Im
Notizbuch nicht: Dort entsteht das Modell in seiner eigenen Zelle. Wer den Bauplan ändert und dann nur
die Trainingszelle noch einmal startet, trainiert das alte Modell mit seinen schon gelernten Gewichten
weiter. Nach jeder Änderung am Bauplan also zuerst die Modellzelle ausführen, dann trainieren.
""")

st.subheader("Was Ihr Lauf zeigt")
if quiz.after_run(chapter):
    st.markdown("##### Warum das enttäuscht")
    st.markdown("""
Schauen Sie auf die linke Kurve Ihres Laufs mit sigmoid und SGD (oder des fertigen Ergebnisses). Im
fertigen Lauf dieser App liegt der Trainingsverlust im Mittel der ersten Epoche bei 2,28, der
Validierungsverlust danach bei 2,24. Zum Vergleich: Ein Netz, das für jede Ziffer stur 10 % ansetzt, also nur rät, hat den
Verlust −log(0,1) ≈ 2,30. Eine ganze Epoche lang ist das Netz also kaum vom Raten weggekommen: Zwar zeigt
seine größte Wahrscheinlichkeit danach schon bei 42 % der Testziffern auf die richtige Ziffer, aber seine
Ausgaben sind noch fast gleich verteilt. Danach geht es zäh voran, und nach zehn Epochen erkennt es 78,9 %
der Testziffern – deutlich *weniger* als die einzelne Schicht mit 90,0 %, obwohl es gut zwanzigmal so
viele Parameter hat.

Mehr Schichten allein helfen also nicht; mit sigmoid und einfachem SGD kommt das Training mit ihnen
kaum in Gang. Mit *vielen* solchen Schichten sind tiefe Netze in den 1990er- und frühen 2000er-Jahren
lange gescheitert. Woran es
liegt und welche zwei einfachen Änderungen das Blatt wenden, zeigt das nächste Kapitel.
""")
    loader.preset_note("keras_01_mnist", "ex_06_sigmoid")

quiz.questions(chapter, "after_exercise")

page.end(chapter)
