"""Ziffern zeichnen: draw a digit (or upload a photo) and see what every model recognises.

The canvas, the models and the predictions are :mod:`tutorial.app.drawing`; the drawing is kept for
the "Modelle von innen" page.
"""
import streamlit as st

from tutorial.app import drawing, page

chapter = page.start(__file__)
KEY = chapter.key
models = drawing.choices()     # the chapters' pretrained models and the learner's own trained networks

st.markdown("""
Jetzt sind Sie dran: Schreiben Sie mit dem Finger, einem Stift oder der Maus eine Ziffer von 0 bis 9 auf
die schwarze Fläche. Sobald Sie absetzen, bereitet die App Ihre Zeichnung so auf wie die MNIST-Ziffern, mit
denen die Modelle trainiert wurden, und zeigt, was das gewählte Modell darin erkennt. Wie diese Aufbereitung
abläuft, steht weiter unten unter »Was passiert mit Ihrer Zeichnung?«.
""")
choice = drawing.model_box(KEY, models)
drawn = drawing.canvas(KEY, models, choice)
drawing.comparison(drawn, models)
with st.expander("Was passiert mit Ihrer Zeichnung?", icon=":material/info:"):
    st.markdown("""
Ein Modell kennt nur Bilder, die genauso vorbereitet sind wie seine Trainingsdaten. Bei MNIST wurde jede
Ziffer so normiert – und genau das macht diese Seite mit Ihrer Zeichnung, bevor sie ins Netz geht:

1. **Graustufen:** aus den Farbkanälen wird ein Helligkeitswert je Pixel, weiße Tinte auf Schwarz.
2. **Zuschneiden:** alles außerhalb des kleinsten Rechtecks um die Striche fällt weg.
3. **Skalieren:** die längere Seite wird auf 20 Pixel gebracht, das Seitenverhältnis bleibt, weiche Kanten
   entstehen durch Kantenglättung. Sehr dünne oder sehr dicke Striche werden dabei an die Strichstärke der
   MNIST-Ziffern angeglichen.
4. **Einpassen:** das Ergebnis kommt in ein Feld von 28 × 28 Pixeln und wird so verschoben, dass sein
   Schwerpunkt in der Mitte liegt.

Ohne diese Schritte würde eine kleine Ziffer in der Ecke als winziger Fleck ankommen – viele Zeichen-Demos
liegen genau deshalb daneben. Am Ende stehen 784 Zahlen zwischen 0 und knapp 1 (Grauwert ÷ 256), wie beim
Training.
""")

st.divider()
st.subheader("Oder: ein Foto oder einen Scan hochladen", anchor=False)
st.markdown("Schreiben Sie eine Ziffer mit einem dicken Stift auf weißes Papier und fotografieren Sie sie "
            "möglichst formatfüllend. Dunkle Schrift auf hellem Grund wird automatisch umgekehrt.")
drawing.upload(KEY, models, choice, drawn)

page.end(chapter)
