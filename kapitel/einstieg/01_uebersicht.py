"""Chapter 1: overview – what the learner will learn, MNIST, the 99 % goal. No TensorFlow, no data."""
import streamlit as st

from tutorial import presets
from tutorial.app import page
from tutorial.app import progress
from tutorial.chapters import CHAPTERS, SECTIONS

chapter = page.start(__file__)
st.markdown("#### Ein neuronales Netz, das handgeschriebene Ziffern liest – Schritt für Schritt im Browser")

LISTING_LINES = sorted(len(spec.to_code().splitlines()) for spec in presets.PRESETS.values())
st.markdown(f"""
In dieser App bauen Sie selbst ein neuronales Netz, das handgeschriebene Ziffern von 0 bis 9
erkennt, und machen es Kapitel für Kapitel besser. Sie beginnen mit einem Netz aus einer einzigen
Schicht, das rund neun von zehn Ziffern richtig liest, und enden bei einem Faltungsnetz, das
**99 % und mehr** schafft. Unterwegs lernen Sie die Handgriffe kennen, mit denen auch Profis ihre
Modelle trainieren und verbessern.

Programmieren müssen Sie dafür nicht: Jede Übung besteht aus Reglern und Schaltern, und jedes
Fachwort wird erklärt, wenn es zum ersten Mal vorkommt (alle fett gedruckten Begriffe stehen außerdem
im Glossar am Ende von Kapitel 4). Wer neugierig ist, kann sich zu jeder Einstellung den Programmcode
anzeigen lassen. Er ist in der Programmiersprache **Python** geschrieben und benutzt **Keras**, einen
verbreiteten Baukasten für neuronale Netze, der seinerseits auf **TensorFlow** rechnet, der
Rechenbibliothek von Google. Ein ganzes Programm samt Training umfasst je nach Kapitel
{LISTING_LINES[0]} bis {LISTING_LINES[-1]} Zeilen.
""")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Was Sie hier lernen")
    st.markdown("""
- was ein **neuronales Netz** ist, woraus es besteht und wie man es **trainiert**,
- wie man ein erstes Netz mit einer einzigen **Schicht** in Keras aufschreibt,
- warum weitere Schichten helfen – und warum sie es zunächst nicht tun,
- wie man die **Lernrate** im Lauf des Trainings kleiner werden lässt,
- wie **Faltungsnetze** (*convolutional networks*) Bilder verarbeiten,
- wie man ein Netz mit **Dropout** und **Batch-Normalisierung** regularisiert,
- woran man **Überanpassung** (*overfitting*) erkennt und was dagegen hilft.
""")
with right:
    st.subheader("Die Daten: MNIST")
    st.markdown("""
MNIST ist eine klassische Sammlung handgeschriebener Ziffern, an der seit den 1990er-Jahren
unzählige Verfahren erprobt wurden. Jede Ziffer ist ein Graustufenbild von 28 × 28 Pixeln,
und zu jedem Bild ist bekannt, welche Ziffer es zeigt (das *Label*).
""")
    a, b = st.columns(2)
    a.metric("Trainingsziffern", "60.000", help="Mit diesen Bildern lernt das Netz.")
    b.metric("Testziffern", "10.000", help="Diese Bilder sieht das Netz beim Lernen nie; an ihnen wird gemessen.")
    a.metric("Bildgröße", "28 × 28", help="784 Graustufen-Pixel pro Bild")
    b.metric("Ziel", "99 %", help="richtig erkannte Testziffern")

st.subheader("Was Sie brauchen")
st.markdown("""
Nur diesen Browser. Die App trainiert die Netze für Sie auf dem Server, zeigt die Lernkurven live
und hält zu jeder Übung ein fertig trainiertes Ergebnis bereit, falls Sie nicht warten möchten. Wie
das im Einzelnen geht, erklärt das nächste Kapitel. Am Ende können Sie auf der Seite
*Ziffern zeichnen* eine eigene Ziffer malen und testen, ob das Netz sie erkennt.
""")

st.subheader("Der Weg durch die Kapitel")


# three sections per row: five narrow columns would cut the chapter titles ("2 · So benutzen Sie dies…")
sections = list(SECTIONS)
for start in range(0, len(sections), 3):
    for column, section in zip(st.columns(3), sections[start:start + 3]):
        with column:
            st.markdown(f"**{section}**")
            for entry in CHAPTERS:
                if entry.section == section and entry.exists and entry != chapter:
                    page.link(entry)

progress.overview()

page.end(chapter)
