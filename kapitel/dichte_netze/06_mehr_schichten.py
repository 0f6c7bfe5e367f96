"""Chapter 6: more dense layers (sigmoid), and why the result disappoints."""
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
Das Modell aus Kapitel 3 besteht aus einer einzigen dichten Schicht: Jedes der zehn Ausgabeneuronen
bildet eine gewichtete Summe der 784 Pixel. Nach zehn Epochen mit SGD erkennt es rund 90 % der
Testziffern; auch mit viel längerem Training kommt eine einzelne Schicht kaum über 92 % hinaus.
Der naheliegende nächste Versuch: zwischen Eingabe und Ausgabe weitere dichte Schichten
schalten. Diese App nennt sie **Zwischenschichten**; üblich ist auch »verborgene Schichten« (*hidden
layers*), weil man ihre Ausgaben von außen nicht sieht – sie liefern nur Zwischenergebnisse für die
nächste Schicht.

**Der Bauplan für diesen Versuch.** Am Ausgang ändert sich nichts: zehn Neuronen mit **softmax**, denn
am Ende braucht es weiterhin eine Wahrscheinlichkeit pro Ziffer. Neu sind die **Zwischenschichten**
davor. Sie bekommen hier die Aktivierung **sigmoid**, die jede Summe weich zwischen 0 und 1 einpasst –
jahrzehntelang war das die übliche Wahl, und genau deshalb probieren wir sie zuerst. Wie viele Neuronen
eine Zwischenschicht hat, ihre **Breite**, ist Ihre Entscheidung. Eine bewährte Form ist der Trichter:
784 Pixel gehen hinein, jede Schicht ist schmaler als die vorige, und am Ende bleiben zehn Zahlen –
zum Beispiel 784 → 200 → 60 → 10.

**Wie viele Parameter kommen dazu?** Eine dichte Schicht mit *n* Eingängen und *m* Neuronen hat
*n·m* Gewichte und *m* Biases. Bei 784 → 200 → 60 → 10 sind das 157.000 + 12.060 + 610 =
**169.670** Parameter, gut zwanzigmal so viele wie die 7.850 des einschichtigen Modells.
""")

st.info("""
**Neues Modell, neues Training.** Eine Falle, in die man beim Arbeiten mit Notizbüchern leicht tappt:
Ändert man den Bauplan, führt aber nur die Trainingszelle erneut aus, trainiert Keras das *alte* Modell
mit seinen schon gelernten Gewichten weiter – erst muss die Zelle mit dem Bauplan noch einmal laufen. In dieser App
kann das nicht passieren: »Trainieren« baut aus Ihrer Auswahl jedes Mal ein frisches Modell mit neuen
Zufallsgewichten.
""", icon=":material/restart_alt:")

st.subheader("Übung: Zwischenschichten einfügen")
st.markdown("Fügen Sie vor der softmax-Schicht zwei dichte Schichten mit sigmoid ein "
            "(zum Beispiel 200 und 60 Neuronen) und trainieren Sie erneut. Der Optimierer bleibt SGD.")

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
kaum in Gang. Mit *vielen* solcher Schichten sind tiefe Netze in den 1990er- und frühen 2000er-Jahren
lange gescheitert. Woran es
liegt und welche zwei einfachen Änderungen das Blatt wenden, zeigt das nächste Kapitel.
""")
    loader.preset_note("keras_01_mnist", "ex_06_sigmoid")

quiz.questions(chapter, "after_exercise")

page.end(chapter)
