"""Inside the trained models: dense templates, conv filters, feature maps, confusion matrices.

The views are :mod:`tutorial.app.inside`; the models are chosen after ``page.start``, which restores
a reloaded learner's run log (and so their own trained networks).
"""
import streamlit as st

from tutorial.app import inside, page

chapter = page.start(__file__)
models = inside.choices()      # the pretrained models and the learner's own trained networks
st.markdown("""
Ein trainiertes Netz ist keine Blackbox: Seine Gewichte sind Zahlen, die man ansehen kann, und für
jedes Bild lässt sich verfolgen, was jede Schicht daraus macht. Diese Seite öffnet die fertig
trainierten Modelle der Kapitel 3 bis 13 – und jedes Netz, das Sie in dieser Sitzung selbst
trainiert haben.
""")
inside.own_note(models)

st.header("Die zehn Schablonen des einschichtigen Netzes")
st.markdown("""
Das Netz aus Kapitel 3 hat genau eine dichte Schicht: 784 Eingaben, 10 Neuronen. Die Gewichte eines
Neurons sind 784 Zahlen – eine pro Pixel – und lassen sich deshalb wieder als 28 × 28-Bild zeigen.
**Rot** heißt: Tinte an dieser Stelle spricht *für* diese Ziffer, **blau**: Tinte hier spricht
*dagegen*. Jedes Neuron hat also eine Art Schablone gelernt, und die gewichtete Summe misst, wie gut
ein Bild auf sie passt.
""")
inside.templates(models)

st.header("Die Filter der ersten Faltungsschicht")
conv = inside.filters(models)        # (model, id) of the chosen convolutional network
if conv is not None:
    st.header("Merkmalskarten: was jede Schicht sieht")
    inside.feature_maps(*conv)

st.header("Welche Ziffern verwechselt ein Modell?")
st.markdown("""
Die **Verwechslungsmatrix** (*confusion matrix*) zählt für alle 10.000 Testziffern, welche Ziffer
richtig gewesen wäre (Zeile) und welche das Modell vorhergesagt hat (Spalte). Auf der Diagonale
stehen die Treffer, überall sonst Fehler. Klicken Sie auf ein Feld – oder wählen Sie es unten aus –,
um genau diese verwechselten Ziffern samt den Wahrscheinlichkeiten des Modells zu sehen.
""")
inside.confusion(models)

page.end(chapter)
