"""Chapter 8: a higher learning rate, the noise it brings, and the learning-rate decay that calms it.
Experiment first (step 1: rate 0.01), then what it shows; then the decay (step 2). What a run reveals is
drawn only once the learner has seen a run of that step (quiz.after_step_run)."""
import streamlit as st

from tutorial import presets
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state, views
from tutorial.app import quiz
from tutorial.deutsch import de, short

LEARNING_RATES = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]
DECAYS = [0.3, 0.4, 0.5, 0.6, 0.666, 0.7, 0.8, 0.9, 0.95]
DECAY = presets.PRESETS["ex_08_lr_decay"]          # the solution of step 2: 0.01, factor 0.6
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_lr": 0.01, f"{KEY}_decay_on": True, f"{KEY}_decay": 0.6}

st.markdown(f"""
Erinnern Sie sich an das Tal mit zwei Gewichten in Kapitel 4: Mit kleiner **Lernrate** kroch der Weg
bergab, mit zu großer sprang er von Hang zu Hang. Die Lernrate bestimmt, wie weit der Optimierer die
Gewichte nach jedem Batch verstellt – wie groß also der Schritt bergab ist. Gibt man nichts an, arbeitet
Adam mit {short(S.DEFAULT_LR["adam"])}; so hat das Netz aus Kapitel 7 gelernt. Was bringt ein zehnmal
größerer Schritt?

**Schritt 1.** Stellen Sie die Lernrate unten auf **0,01** und trainieren Sie. Unter »Code anzeigen« steht
dann statt des Kurznamens `"adam"` ein eigener Optimierer mit dieser Lernrate,
`keras.optimizers.Adam(learning_rate=0.01)` (ältere Beispiele schreiben noch `lr=`). Für die Kurven schlägt
die App meist den Zoom 5× vor: Er vergrößert den Bereich nahe Verlust 0 und Genauigkeit 100 %, in dem sich
jetzt alles abspielt.
""")

st.subheader("Übung: Lernrate erhöhen, dann Lernratenabfall")
left, right = st.columns(2)
learning_rate = left.select_slider("Lernrate (Start)", LEARNING_RATES, key=state.keep(f"{KEY}_lr", 0.001, LEARNING_RATES),
                                   format_func=lambda v: de(v, 4).rstrip("0"))
decay_on = right.toggle("Lernratenabfall einschalten", key=state.keep(f"{KEY}_decay_on", False))
decay = right.select_slider("Faktor pro Epoche", DECAYS, key=state.keep(f"{KEY}_decay", 0.6, DECAYS),
                            format_func=lambda v: de(v, 3).rstrip("0"), disabled=not decay_on)

# Adam's default rate without decay is exactly the notebook's keras_02 (optimizer="adam").
lr_arg = None if (learning_rate == S.DEFAULT_LR["adam"] and not decay_on) else learning_rate
spec = S.RunSpec(layers=presets.DENSE_200_60, optimizer="adam", learning_rate=lr_arg,
                 lr_decay=decay if decay_on else None)
st.caption("Das Diagramm zeigt die Lernrate, die in jeder Epoche gilt – es folgt Ihren Reglern sofort.")
views.show_lr_schedule(spec)

exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=5)

st.header("Was die große Lernrate zeigt")
if quiz.after_step_run(chapter, "", "ohne Lernratenabfall"):
    st.markdown("""
Achten Sie bei einem Lauf mit 0,01 auf die blaue Validierungskurve: Sie fällt in den ersten Epochen
rasch und beginnt dann zu zappeln, statt weiter zu sinken. Im fertigen Lauf dieser App mit 0,01 springt
die Validierungsgenauigkeit ab der dritten Epoche zwischen 96,4 % und 97,0 % hin und her, der
Validierungsverlust zwischen 0,11 und 0,16; sogar der Trainingsverlust steigt in den Epochen 8 und 9
wieder an.

Ein Bild dafür: Wer mit Siebenmeilenstiefeln ins Tal will, ist schnell unten – aber die Talsohle ist
schmaler als ein Schritt. Jeder Schritt landet auf dem gegenüberliegenden Hang, nie am tiefsten Punkt.
Zurück zur kleinen Lernrate wäre ruhiger, aber langsamer. Besser ist beides nacheinander.
""")

st.header("Große Schritte am Anfang, kleine am Ende")
st.markdown(f"""
Erst große, dann kleine Schritte – das leistet der **Lernratenabfall** (*learning rate decay*): Man beginnt
mit der großen Lernrate und multipliziert sie nach jeder Epoche mit demselben Faktor unter 1. Schalten Sie oben
»Lernratenabfall einschalten« ein und schauen Sie auf das Diagramm der Lernrate: Mit Start
{short(DECAY.lr)} und Faktor {short(DECAY.lr_decay)} gilt in der ersten Epoche {short(DECAY.lr_at(0))},
in der zweiten {short(round(DECAY.lr_at(1), 6))}, in der dritten {short(round(DECAY.lr_at(2), 6))} –
in der zehnten ist nur noch gut ein Hundertstel davon übrig ({short(round(DECAY.lr_at(9), 6))}).
Als Formel: `lr(epoch) = {short(DECAY.lr)} · {short(DECAY.lr_decay)}^epoch`, wobei Keras die Epochen ab 0 zählt.

In Keras erledigt das ein **Callback** (Kapitel 5: eigener Code, den Keras während des Trainings aufruft):
`keras.callbacks.LearningRateScheduler` fragt vor jeder Epoche eine Funktion nach der Lernrate. Der
Callback wirkt nur, wenn er auch in der Liste `callbacks` von `model.fit` steht – das vergisst man
leicht.
""")
st.code(f"""def lr_decay(epoch):
    return {DECAY.lr} * {DECAY.lr_decay}**epoch

lr_decay_callback = keras.callbacks.LearningRateScheduler(lr_decay, verbose=1)

model.fit(..., callbacks=[lr_decay_callback])""", language="python")

quiz.questions(chapter, "after_decay")

st.markdown(f"""
**Schritt 2.** Lassen Sie die Lernrate bei 0,01, schalten Sie den Lernratenabfall mit dem Faktor
**{short(DECAY.lr_decay)}** ein und trainieren Sie erneut. Vergleichen Sie danach die Läufe im
»Versuchsprotokoll«.
""")

st.header("Das Ergebnis")
if quiz.after_step_run(chapter, "abklingen", "mit Lernratenabfall"):
    st.markdown("""
Ihre Läufe finden Sie im »Versuchsprotokoll«; hier die drei fertigen Läufe dieser App:

| Lernrate | Testziffern richtig | Validierungsverlust, Epoche 1 → 10 |
|---|---|---|
| 0,001 (Voreinstellung von Adam) | 97,60 % | 0,162 → 0,090, mit Rückschritten |
| 0,01, gleichbleibend | 96,90 % | 0,128 → 0,137, springt auf und ab |
| 0,01, Faktor 0,6 pro Epoche | 98,15 % | 0,152 → 0,075, ab Epoche 6 fast flach |

Der Lauf mit Lernratenabfall ist in den ersten Epochen so schnell wie der mit fester Lernrate 0,01; danach
sind seine Schritte klein genug für die Talsohle. Ab der sechsten Epoche liegt seine
Validierungsgenauigkeit ruhig bei 98,1 bis 98,2 % – die beste Zahl dieses Kapitels, für eine Funktion
und einen Callback mehr im Code.
""")
    loader.preset_note("keras_02_mnist_dense", "ex_08_lr001", "ex_08_lr_decay")
    # its two finished curves would answer both steps' guesses: only once the result is revealed
    quiz.questions(chapter, "after_result")

page.end(chapter)
