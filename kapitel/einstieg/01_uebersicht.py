"""Chapter 1: overview – what the learner does, the chapters by section, MNIST, the 99 % goal and how
long the whole course takes (reading words and the training price of every exercise). No TensorFlow."""
import streamlit as st

from tutorial import course, presets
from tutorial.app import page
from tutorial.app import progress
from tutorial.chapters import CHAPTERS, SECTIONS, exercises
from tutorial.deutsch import count, de

chapter = page.start(__file__)
st.markdown("#### Ein neuronales Netz, das handgeschriebene Ziffern liest – Schritt für Schritt im Browser")

LISTING_LINES = sorted(len(spec.to_code().splitlines()) for spec in presets.PRESETS.values())
st.markdown("""
Sie trainieren hier selbst ein **neuronales Netz**, das handgeschriebene Ziffern von 0 bis 9 liest. Das
erste besteht aus einer einzigen **Schicht**; Kapitel für Kapitel bauen Sie es um, trainieren es neu und
sehen an den Kurven, ob sich der Umbau gelohnt hat. Wie gut das erste Netz schon ist und wie weit jeder
Umbau trägt, finden Sie selbst heraus – meist sagen Sie es voraus und vergleichen dann mit Ihrem
Lauf. Das Ziel am Ende: mindestens 99 von 100 Testziffern richtig.
""")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("So läuft eine Übung")
    st.markdown(f"""
1. Sie stellen das Netz mit Reglern und Schaltern ein – Programmieren ist nicht nötig.
2. Meist sagen Sie vorher, was passieren wird.
3. Sie starten das **Training** auf dem Server und sehen die Kurven wachsen, oder Sie holen ein fertig
   trainiertes Ergebnis.
4. Sie lesen Kurven und Vorhersagen, beantworten Fragen dazu und erfahren, ob Ihre Vermutung stimmte.

Jedes Fachwort wird erklärt, wenn es zum ersten Mal vorkommt; alle fett gedruckten Begriffe stehen
außerdem im Glossar am Ende von Kapitel 4. Zu jeder Einstellung zeigt die App auf Wunsch den Programmcode: **Python**
mit **Keras**, einem verbreiteten Baukasten für neuronale Netze, der auf **TensorFlow** rechnet, der
Rechenbibliothek von Google. Der Code für Modell und Training hat je nach Übung
{LISTING_LINES[0]} bis {LISTING_LINES[-1]} Zeilen; dazu kommen die Zellen, die die Daten einlesen (Kapitel 5).
""")
with right:
    st.subheader("Die Daten: MNIST")
    st.markdown("""
Eine klassische Sammlung handgeschriebener Ziffern, an der seit den 1990er-Jahren unzählige Verfahren
erprobt wurden: jede ein Graustufenbild von 28 × 28 Pixeln, und zu jedem ist bekannt, welche Ziffer es
zeigt.
""")
    a, b = st.columns(2)
    a.metric("Trainingsziffern", "60.000", help="Mit diesen Bildern lernt das Netz.")
    b.metric("Testziffern", "10.000", help="Diese Bilder sieht das Netz beim Lernen nie; an ihnen wird gemessen.")
    a.metric("Bildgröße", "28 × 28", help="784 Graustufen-Pixel pro Bild")
    b.metric("Ziel", "99 %", help="richtig erkannte Testziffern")

st.subheader("Wie lange dauert der Kurs?")
runs = course.exercise_specs()
hours = round(course.reading_minutes() / 30) / 2            # to the half hour
full, quick = (max(1, round(course.training_seconds(t) / 60)) for t in (None, lambda spec: spec.quick()))
st.markdown(f"""
**Lesen.** Die Erklärungen aller Kapitel umfassen rund {de(course.READING_WORDS)} Wörter, in Ruhe
gelesen etwa {de(hours, 0 if hours.is_integer() else 1)} Stunden. Dazu kommt die Zeit für Experimente und Fragen –
je nach Neugier noch einmal so viel oder mehr.

**Training.** Trainieren Sie jede der {len(runs)} Übungen einmal live mit den Einstellungen der Lösung, über
alle Epochen und Daten, rechnet der Server zusammen etwa {count(full, 'Minute', 'Minuten')}; im
**»Schnellmodus«** etwa {count(quick, 'Minute', 'Minuten')}. Diese Zeiten gelten
*für einen freien Server* mit zwei Prozessorkernen, wie ihn die kostenlose Streamlit Community Cloud
bietet. Trainieren viele zugleich, dauert es länger; die App sagt Ihnen vor jedem Lauf, womit Sie gerade
rechnen müssen. Wer nicht warten möchte, sieht sich das fertige Ergebnis an.
""")

st.subheader("Der Weg durch die Kapitel")
ABOUT = {
    "Einstieg": "Ein erstes Netz trainieren, seine Kurven lesen, hineinschauen und seinen Code verstehen.",
    "Dichte Netze": "Schichten stapeln, relu und Adam, die Lernrate mit der Zeit senken, Dropout gegen "
                    "Überanpassung.",
    "Faltungsnetze": "Wie ein Faltungsnetz Bilder liest, ein eigenes bauen und es mit Batch-Normalisierung "
                     "verbessern.",
    "Abschluss": "Größere Hardware, alles Gelernte im Überblick und wie es weitergeht.",
    "Werkzeuge": "Eine eigene Ziffer zeichnen, in die fertigen Netze hineinschauen, alle Läufe vergleichen.",
}
EXERCISES = {c.number for c in exercises()} | {3}

# three sections per row: five narrow columns would cut the chapter titles ("2 · So benutzen Sie dies…")
sections = list(SECTIONS)
for first in range(0, len(sections), 3):
    for column, section in zip(st.columns(3), sections[first:first + 3]):
        with column:
            st.markdown(f"**{section}**  \n{ABOUT[section]}")
            for entry in CHAPTERS:
                if entry.section == section and entry.exists and entry.menu and entry != chapter:
                    page.link(entry)
st.caption(f"Übungen mit Training: Kapitel {', '.join(str(n) for n in sorted(EXERCISES))}.")

progress.overview()

page.end(chapter)
