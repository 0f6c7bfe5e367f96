"""Chapter 4: neural networks in a nutshell – a short main path through the net of chapter 3 (neuron,
layer, softmax, label and loss, gradient descent, batch, more layers), each idea an experiment first;
the depth (maths refresher, the layer as a matrix product, the cross-entropy's floor, backpropagation,
saddle points and optimizers) in optional parts drawn only when switched on. No TensorFlow."""
import math

import streamlit as st

from tutorial import presets
from tutorial import spec as S
from tutorial.app import page, quiz, terms
from tutorial.app.explain import basics
from tutorial.deutsch import de, number, short

chapter = page.start(__file__)
KEY = chapter.key

FIRST = presets.PRESETS["keras_01_mnist"]           # the net of chapter 3
PIXELS = 28 * 28
CLASSES = 10
FIRST_PARAMS = S.param_count(FIRST)
ADAM_LR = S.DEFAULT_LR["adam"]
DEEP = presets.PRESETS["keras_02_mnist_dense"]       # chapter 7's solution: the outlook's example
SMALL_BATCH = presets.PRESETS["keras_05_mnist_batch_norm"].batch_size   # chapter 13

st.markdown("""
In Kapitel 3 hat ein Netz aus einer einzigen Schicht Ziffern gelesen. Hier schauen Sie hinein: Was
rechnet es, wie liest man seine Antwort ab, wie misst man seinen Fehler, und wie wird es besser? Jede
Frage beginnt mit einem Experiment, das direkt auf dieser Seite rechnet. Der Hauptweg genügt für alle
weiteren Kapitel. Wer tiefer einsteigen möchte, schaltet die Abschnitte **»Vertiefung: …«** ein – sie
sind freiwillig. Alle fett gedruckten Begriffe der App stehen im **Glossar** am Ende der Seite.
""")

st.info(f"""
**Die ganze Seite in fünf Sätzen.** Jedes der zehn **Neuronen** der **Schicht** aus Kapitel 3
multipliziert die {de(PIXELS)} Pixel mit seinen **Gewichten**, addiert alles und dazu einen **Bias** – eine
**dichte Schicht**. **softmax** macht aus den zehn Summen Wahrscheinlichkeiten, eine pro Ziffer. Die
**Kreuzentropie** vergleicht sie mit dem **Label**, der richtigen Ziffer in **One-hot**-Form, und liefert
den **Verlust**. Der **Gradientenabstieg** schiebt alle Gewichte ein Stück in die Richtung, in der der
Verlust sinkt, um so viel, wie die **Lernrate** sagt, jedes Mal für einen **Batch** von Bildern. Bessere
Netze stapeln mehrere Schichten mit **relu** dazwischen – dichte oder **Faltungsschichten** – und trainieren
mit einem **Optimierer** wie **Adam**.
""", icon=":material/school:")

if page.deeper(f"{KEY}_mathe", "Mathe-Minimum (Steigung, Logarithmus, Matrixprodukt)"):
    st.markdown("""
Drei Werkzeuge aus der Schulmathematik genügen für diese Seite.

**Steigung und Ableitung.** Eine Straße, die auf 100 m Strecke 5 m ansteigt, hat 5 % Steigung. Die
**Ableitung** einer Funktion ist diese Steigung an einer einzigen Stelle: Um wie viel ändert sich das
Ergebnis, wenn man die Eingabe ein winziges Stück vergrößert? Bei *f(x) = x²* ist sie *2x*: An der Stelle 3
wächst *f* sechsmal so schnell wie *x*. Ableitung 0 heißt: hier ist es (im Kleinen) flach. Hängt eine Größe
von vielen Eingaben ab, hat sie für jede eine eigene Ableitung; alle zusammen bilden den **Gradienten**.

**Exponentialfunktion und Logarithmus.** *eˣ* (mit *e* ≈ 2,718) ist immer positiv und wächst rasant:
*e⁰* = 1, *e¹* ≈ 2,72, *e⁵* ≈ 148. Der natürliche Logarithmus *log* macht das rückgängig: *log(e⁵)* = 5,
*log(1)* = 0, und für Zahlen zwischen 0 und 1 ist er negativ: *log(0,5)* ≈ −0,69, *log(0,01)* ≈ −4,6. Je
näher eine Zahl an 0 rückt, desto tiefer fällt ihr Logarithmus; *log(0)* gibt es nicht. softmax und die
Kreuzentropie bestehen aus genau diesen beiden Funktionen.

**Matrixprodukt.** Eine Matrix ist eine Zahlentabelle. Man multipliziert eine *Zeile* der linken mit einer
*Spalte* der rechten Eintrag für Eintrag und addiert: Zeile (1, 2) mal Spalte (3, 4) ergibt
1 · 3 + 2 · 4 = 11 – und das für jede Zeile mit jeder Spalte. Eine 2 × 3-Tabelle mal eine 3 × 4-Tabelle
ergibt eine 2 × 4-Tabelle; die inneren Zahlen (hier 3) müssen übereinstimmen.
""")

# --- 1. one neuron ----------------------------------------------------------------------------
st.header("Ein Neuron")
basics.neuron_demo()
st.markdown("""
Ziehen Sie einen der Gewichtsregler ins Negative und beobachten Sie die Summe: Ein **Gewicht** sagt,
wie stark und in welche Richtung eine Eingabe zählt. Der **Bias** verschiebt die Summe als Ganzes, egal
was hereinkommt. Danach folgt die **Aktivierungsfunktion**; mit relu bleibt eine negative Summe bei 0
hängen. Das ist schon alles, was ein Neuron tut: Eingaben gewichten, aufsummieren, Bias dazu,
Aktivierung. Gewichte und Bias heißen zusammen seine **Parameter**; sie starten mit Zufallswerten, und das
Training stellt sie ein.
""")

# --- 2. the layer of chapter 3 ----------------------------------------------------------------
st.header("Die Schicht aus Kapitel 3")
st.markdown(f"""
Das Netz aus Kapitel 3 besteht aus zehn solchen Neuronen, einem pro Ziffer, und jedes bekommt alle
{de(PIXELS)} Pixel des Bildes als Eingaben. Eine Schicht, in der jedes Neuron mit jeder Eingabe verbunden
ist, heißt **dichte Schicht** (*dense*). Zählen Sie nach: {de(PIXELS)} · {CLASSES} = {de(PIXELS * CLASSES)}
Gewichte und {CLASSES} Biases, zusammen **{de(FIRST_PARAMS)} Parameter** – diese Zahl nennt auch die
Modellübersicht unter Ihrem Lauf in Kapitel 3. In Keras ist die ganze Schicht eine Zeile; die Zahl ist die
der Neuronen, die der Eingaben erkennt Keras an den Daten:
""")
st.code('keras.layers.Dense(10, activation="softmax")', language="python")
quiz.questions(chapter, "after_dense")

if page.deeper(f"{KEY}_matrix", "Die Schicht als Matrixprodukt"):
    basics.dense_layer_demo()
    st.markdown(f"""
Das Experiment rechnet eine kleine Schicht für mehrere Bilder zugleich. Jede Zeile von *X* ist ein Bild,
jede Spalte von *W* gehört zu einem Neuron. Das Produkt *X · W* enthält deshalb in Zeile *i*, Spalte *j*
genau die gewichtete Summe, die Neuron *j* für Bild *i* bildet – eine einzige Rechnung für alle Neuronen
und alle Bilder des Batches. Beim Training in Kapitel 3 ist *X* eine {FIRST.batch_size} × {PIXELS}-Tabelle und *W* eine
{PIXELS} × {CLASSES}-Tabelle.

Der Bias *b* hat nur einen Wert pro Neuron, soll aber zu jeder Zeile addiert werden. NumPy und TensorFlow
wiederholen ihn dafür stillschweigend so oft wie nötig; das heißt **Broadcasting**, und man schreibt
einfach `X @ W + b`. Mit der Aktivierung *f* ist die ganze Schicht `Y = f(X · W + b)`.

**Warum überhaupt eine Aktivierung?** Ohne sie wären zwei Schichten (X · W₁) · W₂ = X · (W₁ · W₂), also
wieder nur eine Schicht mit der Gewichtsmatrix W₁ · W₂ (die Biases ändern daran nichts). Erst eine
Funktion, die keine Gerade ist, macht zusätzliche Schichten nützlich.
""")

# --- 3. softmax --------------------------------------------------------------------------------
st.header("Die Antwort ablesen: softmax")
basics.softmax_demo()
winner, runner = sorted(basics.DEFAULT_LOGITS, reverse=True)[:2]
top = basics.DEFAULT_LOGITS.index(winner)
share = math.exp(winner) / sum(math.exp(v) for v in basics.DEFAULT_LOGITS)
st.markdown(f"""
Die zehn Summen der letzten Schicht, die **Logits**, können beliebige Zahlen sein. Voreingestellt hat
die {top} den größten Logit ({short(winner)}), der nächste ist {short(runner)}. **softmax** schickt
jeden Logit durch die Exponentialfunktion *e^L* und teilt durch die Summe aller zehn Ergebnisse: So
entstehen zehn positive Zahlen, die zusammen 100 % ergeben. Der Abstand {short(round(winner - runner, 3))}
zwischen den beiden größten Logits wird dabei zum Verhältnis *e^{short(round(winner - runner, 3))}* ≈
{number(math.exp(winner - runner), 1)} : 1, und die {top} bekommt {number(100 * share, 0)} %.

Probieren Sie: Erhöhen Sie einen einzigen Logit um 1 – sein Anteil wächst im Verhältnis zu jedem anderen auf
das *e*-Fache, also ≈ 2,7-mal so viel. Die Reihenfolge bleibt immer erhalten, und kein Verlierer fällt ganz
auf 0; darum »soft«. Die **Temperatur** *T* in der Grafik – softmax teilt vorher alle Logits durch sie – zeigt,
wie hart oder weich es werden kann. Das Netz
aus Kapitel 3 hat softmax in seiner einzigen Schicht, spätere Netze in der letzten.
""")
quiz.questions(chapter, "after_softmax")

# --- 4. label, one-hot, cross-entropy -----------------------------------------------------------
st.header("Wie falsch lag das Netz? Label und Kreuzentropie")
basics.one_hot_cross_entropy_demo()
right = basics.PREDICTION_START.index(max(basics.PREDICTION_START))
p_start = max(basics.PREDICTION_START) / sum(basics.PREDICTION_START)
p_low = 2 / (2 + sum(basics.PREDICTION_START) - max(basics.PREDICTION_START))   # the right digit typed as 2
st.markdown(f"""
Im Experiment ist die {right} die richtige Ziffer, das **Label**, und die erfundene Vorhersage gibt ihr
{number(100 * p_start, 0)} %. Die obere Zeile der Grafik schreibt das Label so, wie das Netz antwortet:
zehn Zahlen, eine 1 bei der richtigen Ziffer, sonst 0. Diese Form heißt **One-hot-Kodierung**; mit ihr
haben Label und Vorhersage dieselbe Gestalt.

Die **Kreuzentropie** nimmt von der Vorhersage nur die Wahrscheinlichkeit, die das Netz der richtigen Ziffer gab, und
rechnet −log davon: hier −log({number(p_start, 1)}) ≈ {number(-math.log(p_start), 2)}. Tippen Sie bei der
{right} eine 2 ein: Umgerechnet auf zusammen 100 % bleiben ihr {number(100 * p_low, 1)} %, und der Wert steigt
auf {number(-math.log(p_low), 2)} – der rote Punkt auf der Kurve unten wandert mit. Setzen Sie dagegen alle anderen Ziffern auf 0, bekommt die {right} alles,
und der Wert fällt auf −log(1) = 0. Wie sich der Rest auf die falschen Ziffern verteilt, ändert ihn nicht.
Über einen Batch gemittelt ist diese Zahl der **Verlust**, den das Training klein macht.

Warum nicht einfach die Genauigkeit? Sie ändert sich nur, wenn eine Antwort von falsch auf richtig kippt;
die Kreuzentropie belohnt schon, dass die richtige Ziffer ein paar Prozent mehr bekommt. Dieses feine
Signal braucht der nächste Schritt.
""")
quiz.questions(chapter, "after_loss")

if page.deeper(f"{KEY}_null", "Wenn die richtige Ziffer 0 % bekommt"):
    st.markdown("""
Setzen Sie im Experiment die richtige Ziffer auf 0. Mathematisch wäre −log(0) unendlich, und ein einziger
unendlicher Verlust würde das Training zerstören. Bekommt Keras bloße Wahrscheinlichkeiten, wie dieses
Experiment sie Ihnen eintippen lässt, rechnet es deshalb mit mindestens 10⁻⁷; ein Bild kostet dann höchstens
−log(10⁻⁷) ≈ 16,1. Stammen die Wahrscheinlichkeiten aus der softmax-Schicht eines Modells, geht Keras einen
genaueren Weg über die Logits und schneidet nichts ab – Kapitel 7 erklärt ihn.
""")

# --- 5. gradient descent ------------------------------------------------------------------------
st.header("Besser werden: Gradientenabstieg")
st.markdown("""
Unten sehen Sie eine erfundene Verlustlandschaft mit nur zwei Gewichten, *w₁* und *w₂*, von oben; die
Farbe zeigt, wie hoch der Verlust an jeder Stelle ist. Der Weg zeigt, wie das Training die beiden Gewichte Schritt für Schritt
verschiebt. Stellen Sie zuerst die Lernrate auf 0,01 und dann über 1 – und lesen Sie erst danach weiter.
""")
basics.gradient_descent_demo("tal")
st.markdown(f"""
Bei jedem Schritt berechnet das Training den **Gradienten**: für jedes Gewicht, wie stark der Verlust
steigt, wenn man es ein wenig vergrößert. Dann geht es in die Gegenrichtung, also bergab. Dieses Verfahren
heißt **Gradientenabstieg**. Ein echtes Netz hat nicht zwei Gewichte, sondern Tausende bis Millionen (schon
das Netz aus Kapitel 3 hat {de(FIRST_PARAMS)} Parameter), aber das Verfahren ist dasselbe.

Wie groß ein Schritt wird, bestimmt die **Lernrate**: Der Schritt ist der Gradient mal diese Zahl. Bei
0,01 kriecht der Weg, über 1 springt er von Wand zu Wand über das Tal hinweg und schaukelt sich auf. Welche
Lernrate passt, hängt davon ab, wie steil die Landschaft ist: Hier taugt 0,3, bei echten Netzen ist das
viel zu viel; für Adam ist in Keras {short(ADAM_LR)} voreingestellt. Und der Abstieg findet ein Tal, nicht
unbedingt das tiefste.
""")
quiz.questions(chapter, "after_gradient")

if page.deeper(f"{KEY}_backprop", "Woher die vielen Ableitungen kommen (Backpropagation)"):
    st.markdown("""
Ein Netz ist eine Kette: Gewicht → gewichtete Summe → Aktivierung → nächste Schicht → … → Verlust. Wackelt
man an einem Gewicht, pflanzt sich die Änderung Glied für Glied fort, und jedes Glied verstärkt oder dämpft
sie um seine eigene Steigung. Verdoppelt ein Glied jede kleine Änderung (Steigung 2) und drittelt das
nächste sie (Steigung ⅓), kommt am Ende 2 · ⅓ = ⅔ der Änderung an: Die Steigungen werden *multipliziert*.
Das ist die **Kettenregel**.

**Backpropagation** (Rückwärtsrechnung) nutzt sie geschickt: Sie beginnt beim Verlust und reicht die
Steigungen rückwärts Schicht für Schicht weiter, jede Schicht multipliziert ihren Faktor dazu. Ein
einziger Durchgang rückwärts liefert so alle Ableitungen auf einmal, für grob die doppelte Rechenarbeit des
Durchgangs vorwärts. TensorFlow erledigt das automatisch. Merken Sie sich das Produkt: In Kapitel 7
werden viele kleine Faktoren zum Problem.
""")

# --- 6. batches ---------------------------------------------------------------------------------
st.header("Ein Schritt pro Batch")
st.markdown(f"""
Wie viele Bilder fließen in einen Gradienten? Ein einzelnes wäre ein launischer Ratgeber: Eine schief
geschriebene 1 zöge die Gewichte anders als eine gerade. In Kapitel 3 bildete das Training deshalb jeden
Gradienten aus einem **Batch** von {FIRST.batch_size} Ziffern, mittelte und machte dann *einen* Schritt – so
kam es auf {de(FIRST.steps_per_epoch)} Schritte pro **Epoche**. Weil jeder Batch eine zufällige Auswahl
ist, zeigt sein Gradient nur ungefähr bergab; daher der Name **stochastischer Gradientenabstieg**
(SGD, *stochastisch* = vom Zufall abhängig). Die dünne Trainingslinie in Ihren Kurven zittert genau
deshalb. Die **Batch-Größe** ist frei wählbar; Kapitel 13 nimmt {SMALL_BATCH}.
""")

# --- 7. more layers and the optimizer -----------------------------------------------------------
st.header("Ausblick: mehrere Schichten")
basics.activations_demo()
st.markdown("""
Die Ausgabe einer Schicht kann die Eingabe der nächsten sein. Jede Schicht rechnet wie oben, nur die Zahl
der Neuronen und die Aktivierung ändern sich. In der Grafik sehen Sie die beiden Kandidaten für die
Schichten vor der letzten: **relu** (negative Werte werden 0, positive bleiben) ist heute die übliche Wahl;
**sigmoid** (eine weiche Stufe zwischen 0 und 1) war es früher – warum sie tiefe Netze bremst, erleben Sie
in Kapitel 7. In Keras schreibt man so einen Stapel als Liste von der Eingabe bis zur Ausgabe (die
**Sequential API**). Hier das Netz, das Sie in Kapitel 7 trainieren, samt `model.compile`, das festlegt, wie es lernt:
""")
st.code(DEEP.model_code(), language="python")
st.markdown(f"""
Für Bilder kommen ab Kapitel 10 **Faltungsschichten** dazu. Und statt des einfachen Abstiegs aus Kapitel 3
(SGD mit Lernrate {short(FIRST.lr)}) trainieren die besseren Netze mit einem **Optimierer** namens
**Adam**, der seine Schritte geschickter bemisst.
""")

if page.deeper(f"{KEY}_optimierer", "Sattelpunkte, Momentum und Adam"):
    st.markdown("""
Diese Landschaft ist ein Sattel: in einer Richtung eine Mulde, quer dazu ein Buckel, und der Start liegt
knapp neben dem Kamm. Lassen Sie die drei Verfahren mit derselben Lernrate laufen und vergleichen Sie,
wie weit sie kommen. (Gemessen wird die Höhe dieser erfundenen Fläche: 0 in den beiden Mulden, 0,25 auf
dem Sattelpunkt.)
""")
    basics.gradient_descent_demo("sattel")
    st.markdown("""
In der Mitte des Sattels ist es in jeder Richtung flach, der Gradient ist null – und doch geht es zur
Seite weiter hinunter; so eine Stelle heißt **Sattelpunkt**. Bei Millionen von Gewichten ist eine flache Stelle fast nie ein Tiefpunkt in
allen Richtungen zugleich; meist ist sie ein Sattel, und dort darf das Training nicht hängen bleiben.

Der einfache Abstieg bleibt hängen, weil sein Schritt mit dem Gradienten schrumpft. **Momentum** gibt ihm
Schwung: Ein Teil der vorigen Schritte fließt in den nächsten ein, wie bei einer rollenden Kugel. Der
Optimierer entscheidet, wie aus dem Gradienten ein Schritt wird; Keras bietet unter anderem:

- `keras.optimizers.SGD` – der einfache Abstieg; mit dem Argument `momentum` bekommt er Schwung.
- `keras.optimizers.RMSprop` – teilt jeden Schritt durch die typische jüngste Gradientengröße des
  Gewichts, wirkt also wie eine eigene Lernrate pro Gewicht: klein, wo die Gradienten groß waren, größer,
  wo sie klein waren. Schwung hat er nur, wenn man ihn einschaltet (voreingestellt `momentum=0.0`).
- `keras.optimizers.Adam` – verbindet beides: Momentum *und* eine eigene Lernrate pro Gewicht.
""")

# --- glossary ---------------------------------------------------------------------------------
st.header("Glossar")
terms.full_glossary()

page.end(chapter)
