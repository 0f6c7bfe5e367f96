"""Chapter 11: a convolutional network (reshape, conv stack, flatten, dense) built from widgets."""
import streamlit as st

from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state, views
from tutorial.app.chrome import number_box
from tutorial.app import quiz
from tutorial.deutsch import percent

DEFAULT_FILTERS = (12, 24, 32, 48)
PADDINGS, STRIDES = ["same", "valid"], [1, 2, 3]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_conv": 3, f"{KEY}_padding": "same", f"{KEY}_dense": 200,
            **{f"{KEY}_filters_{i}": f for i, f in enumerate((12, 24, 32))},
            **{f"{KEY}_kernel_{i}": k for i, k in enumerate((3, 6, 6))},
            **{f"{KEY}_stride_{i}": s for i, s in enumerate((1, 2, 2))}}

st.markdown("""
Jetzt bauen Sie ein **Faltungsnetz** für die Ziffern. Vorn arbeiten drei **Faltungsschichten** direkt auf
dem Bild, am Ende steht wie bisher die **softmax-Schicht** mit zehn Neuronen, und dazwischen verbindet eine
**dichte Schicht** mit 200 Neuronen beides:

| Schicht | Filter | Kerngröße | Schrittweite | Ausgabe |
|---|---|---|---|---|
| Faltung 1 | 12 | 3 × 3 | 1 | 28 × 28 × 12 |
| Faltung 2 | 24 | 6 × 6 | 2 | 14 × 14 × 24 |
| Faltung 3 | 32 | 6 × 6 | 2 | 7 × 7 × 32 |
| Flatten | | | | 1.568 |
| dicht, relu | 200 Neuronen | | | 200 |
| dicht, softmax | 10 Neuronen | | | 10 |

Die zweite und dritte Faltung laufen mit der **Schrittweite** 2 (*stride*): Der Filter springt jeweils zwei
Pixel weiter. Deshalb schrumpft das Bild von 28 × 28 auf 14 × 14 und dann auf 7 × 7 Positionen, während
die Zahl der Kanäle von 12 über 24 auf 32 wächst.
""")

st.header("Der Keras-Code")
st.markdown("""
**Erst wieder ein Bild daraus machen.** Die Datenpipeline aus Kapitel 5 liefert jedes Bild als Reihe
aus 784 Zahlen – passend für dichte Schichten. Eine Faltung aber braucht Zeilen, Spalten und Kanäle,
sonst weiß sie nicht, welche Pixel Nachbarn sind. Die Daten bleiben deshalb, wie sie sind, und eine
`Reshape`-Schicht ganz vorn im Modell legt die 784 Zahlen wieder zu 28 Zeilen mit je 28 Pixeln und
einem **Kanal** (Graustufen) zusammen. Das Codelab setzt `Reshape` an die Stelle der Eingabeschicht; in
Keras 3 bleibt `keras.Input` stehen und `Reshape` folgt direkt danach:
""")
st.code("""keras.Input(shape=(28 * 28,)),
keras.layers.Reshape(target_shape=(28, 28, 1)),""", language="python")
st.markdown("""
**Faltungsschichten** mit relu-Aktivierung, einmal ohne und einmal mit Schrittweite:
""")
st.code("""keras.layers.Conv2D(filters=12, kernel_size=3, padding="same", activation="relu"),
keras.layers.Conv2D(filters=24, kernel_size=6, padding="same", activation="relu", strides=2),""",
        language="python")
st.markdown("""
Am Bildrand stellt sich die Frage, was der Filter tut, wenn er über das Bild hinausragt. Das regelt **Padding**
(Kapitel 10 zeigt beide Varianten im Experiment):

- `"same"`: Der Rand wird mit Nullen aufgefüllt, sodass der Filter auch über den Randpixeln zentriert
  werden kann. Bei Schrittweite 1 bleibt das Bild so groß, wie es war; bei Schrittweite *s* wird es
  auf ⌈Breite / *s*⌉ verkleinert (aufgerundet: aus 7 wird bei Schrittweite 2 also 4).
- `"valid"`: kein Auffüllen, nur echte Pixel. Bei Schrittweite 1 schrumpft das Bild dann mit jeder
  Faltung um Kerngröße − 1 Pixel – die Kerngröße 6 × 6 macht aus 28 Pixeln Breite 23. Bei Schrittweite *s*
  bleiben ⌊(Breite − Kerngröße) / *s*⌋ + 1 Pixel: 6 × 6 mit Schrittweite 2 macht aus 28 also 12.

Dieses Netz verwendet `"same"`.

**Vom Würfel zum Vektor.** Die dichte Schicht erwartet wieder einen flachen Vektor. `Flatten` legt den
7 × 7 × 32-Würfel zu 1.568 Werten aus; danach folgen die dichten Schichten, geschrieben wie bisher:
""")
st.code("""keras.layers.Flatten(),
keras.layers.Dense(200, activation="relu"),
keras.layers.Dense(10, activation="softmax"),""", language="python")

quiz.questions(chapter, "after_code")

st.subheader("Übung: das Modell zum Faltungsnetz umbauen")
st.markdown("""
Stellen Sie die Faltungsschichten nach der Tabelle oben ein. Die Lernrate bleibt, wie sie war (Adam,
0,01, Abklingen mit 0,6), aber **Dropout** entfällt an dieser Stelle. Setzen Sie den **»Zoom der Kurven«**
auf 16×.
Die Tabelle darunter zeigt schon vor dem Training, welche Form jede Schicht ausgibt und wie viele
Parameter sie hat – achten Sie darauf, was die Schrittweite mit der Flatten-Schicht und der Zahl der
Parameter der dichten Schicht macht.
""")
top = st.columns(3)
count = top[0].slider("Anzahl der Faltungsschichten", min_value=1, max_value=4,
                      key=state.keep(f"{KEY}_conv", 3, range(1, 4 + 1)))
padding = top[1].radio("Padding", PADDINGS, horizontal=True, key=state.keep(f"{KEY}_padding", "same", PADDINGS))
dense_units = number_box.whole_number("Neuronen der dichten Schicht", 10, 1000, step=10, container=top[2],
                                  key=state.keep(f"{KEY}_dense", 200))
convs = []
columns = st.columns(4)
for i in range(count):
    with columns[i]:
        st.markdown(f"**Faltung {i + 1}**")
        filters = number_box.whole_number("Filter", 1, 128, key=state.keep(f"{KEY}_filters_{i}", DEFAULT_FILTERS[i]))
        kernel = number_box.whole_number("Kerngröße", 1, 9, key=state.keep(f"{KEY}_kernel_{i}", 3))
        stride = st.radio("Schrittweite", STRIDES, horizontal=True, key=state.keep(f"{KEY}_stride_{i}", 1, STRIDES))
    convs.append(L.Conv2D(int(filters), int(kernel), int(stride), padding, "relu")
                 if filters is not None and kernel is not None else None)
numbers_ok = None not in convs and dense_units is not None   # a box out of range has said so in German
spec = (S.RunSpec(layers=(L.Reshape(), *convs, L.Flatten(), L.Dense(int(dense_units), "relu"), L.Dense(10, "softmax")),
                  optimizer="adam", learning_rate=0.01, lr_decay=0.6) if numbers_ok else None)

st.markdown("##### Ausgabeformen und Parameter Ihres Modells")
valid = spec is not None and views.show_layer_table(spec)
exercise.panel(chapter, spec if valid else None, apply_solution=SOLUTION, zoom=16)

st.header("Geschafft – fast")
st.markdown("""
Schauen Sie zuerst auf die Vorhersagen: Die App zeigt 168 Testziffern, die Fehler zuerst – und zum
ersten Mal reichen die Fehler nicht mehr, um das Raster zu füllen. Der fertige Lauf dieser App liest
99,12 % der 10.000 Testziffern richtig; falsch bleiben 88, weniger als vier Zeilen roter Ziffern. Die 99 %
sind also geknackt, wenn auch knapp.

Dann auf den Verlust: Der Validierungsverlust ist nach der vierten Epoche am kleinsten (0,036) und
steigt danach Epoche für Epoche wieder, bis auf 0,047. Der Trainingsverlust fällt derweil auf 0,0001 –
das Netz liest ab der achten Epoche jede einzelne Trainingsziffer richtig. Das kennen Sie aus Kapitel 9:
**Überanpassung**, diesmal deutlicher. Ein Faltungsnetz mit 354.002 Parametern hat reichlich
Freiheitsgrade, um sich 60.000 Bilder einzuprägen. Ob Dropout jetzt hilft, prüft das nächste Kapitel.
""")
result = loader.preset_result("ex_11_conv_no_dropout")
if result:
    st.caption(f"Im fertigen Lauf dieser App: {result['errors']} Fehler, Genauigkeit {percent(result['accuracy'])}.")

quiz.questions(chapter, "after_result")

page.end(chapter)
