"""Chapter 2: how to use this app (replaces the codelab's Colab quick start). No TensorFlow."""
import streamlit as st

from tutorial import estimate
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import de, duration
from tutorial.app import page, runlog, views

chapter = page.start(__file__)
st.markdown("""
Diese App folgt einem **Codelab** von Google – so nennt Google seine Online-Kurse zum Mitmachen –
mit dem Titel »TensorFlow, Keras and deep learning, without a PhD«. Dort arbeitet man mit
**Notizbüchern** (englisch *notebooks*): Dokumenten, in denen sich Erklärtext und kleine Stücke Python-Programm abwechseln und
die man im Browser Stück für Stück (»Zelle für Zelle«) ausführt, meist im Google-Dienst Colab. Die fünf
Lösungs-Notizbücher des Codelabs heißen keras_01 bis keras_05; diese Namen tauchen in der App hier und da
auf.

Hier brauchen Sie kein Programm auszuführen: Sie wählen die Einstellungen, die App baut das Modell, trainiert es und
zeigt, was dabei herauskommt. Dieses Kapitel erklärt die Bedienelemente, die Ihnen auf jeder Seite
wieder begegnen.
""")

st.subheader("Navigation")
st.markdown("""
Links in der Seitenleiste stehen alle Kapitel in Lesereihenfolge, gruppiert in »Einstieg«,
»Dichte Netze«, »Faltungsnetze« und »Abschluss«. Darunter finden Sie drei Werkzeuge:

- **»Ziffern zeichnen«** – malen Sie eine Ziffer und lassen Sie die trainierten Netze raten,
- **»Modelle von innen«** – was die fertigen Netze gelernt haben: Gewichte, Filter, Merkmalskarten
  und welche Ziffern sie miteinander verwechseln,
- **»Versuchsprotokoll«** – alle Trainingsläufe dieser Sitzung mit Einstellungen und Ergebnis;
  mehrere Läufe lassen sich in einem Diagramm vergleichen.

Am Ende jeder Seite führt ein Link **»Weiter: …«** zum nächsten Kapitel. Auf schmalen Bildschirmen
klappt die Seitenleiste ein; das Symbol oben links öffnet sie wieder.
""")

st.subheader("Die Bedienelemente einer Übung")
st.markdown(f"""
Jede Übung des Codelabs wird hier zu einer Reihe von Reglern, Auswahllisten und Schaltern, zum
Beispiel für die Zahl der Schichten oder die Lernrate – was diese Wörter bedeuten, erklären die
Kapitel, in denen sie vorkommen. Darunter folgen in jeder Übung dieselben Bedienelemente:

| Element | Was es tut |
|---|---|
| **»Vergleich mit der Lösung«** | sagt in ganzen Sätzen, worin sich Ihre Wahl von der Lösung des Codelabs unterscheidet; in Übungen mit Vermutung erst nach dem ersten Lauf oder nach einem Klick auf »Hinweis: meine Wahl mit der Lösung vergleichen« |
| **»Lösung«** (aufklappen) | zeigt den Programmcode der Lösung; **»Lösung übernehmen«** stellt alle Regler darauf ein |
| **»Epochen«** | wie oft das Netz die Trainingsziffern durchläuft (eine **Epoche** ist ein Durchgang, Kapitel 3) |
| **»Schnellmodus«** | trainiert nur mit den ersten {de(S.QUICK_LIMIT)} Trainingsziffern und höchstens {S.QUICK_EPOCHS} Epochen – wenn es schnell gehen soll |
| **»Code anzeigen«** | der vollständige Keras-Code, der genau Ihre Einstellung baut und trainiert |
| **»Ihre Vermutung«** | fragt in den meisten Übungen vor dem Training, was Sie erwarten; nach dem Lauf sagt die App, ob Sie richtiglagen. Mit **»Ohne Vermutung weiter«** überspringen Sie die Frage |
| **»Trainieren«** | startet das Training live auf dem Server |
| **»Fertiges Ergebnis ansehen«** | zeigt sofort einen vorab trainierten Lauf ({runlog.FULL_EPOCHS} Epochen, alle Daten) – nur für die Einstellungen der Codelab-Übungen |

Die Regler wirken sofort: Formen, Parameterzahl und Code aktualisieren sich, noch bevor Sie
trainieren. Probieren Sie ruhig auch »falsche« Einstellungen aus; wenn etwas nicht zusammenpasst,
erklärt die App, woran es liegt.
""")

st.subheader("Live trainieren oder fertiges Ergebnis?")
st.markdown("""
*Live* sehen Sie, wie das Netz lernt: ein Fortschrittsbalken nennt Schritt, Epoche und die
geschätzte Restzeit, und zwei Diagramme wachsen mit – links der **Verlust** (wie falsch das Netz liegt;
er soll sinken), rechts die **Genauigkeit** (der Anteil richtig erkannter Ziffern), die x-Achse in
Epochen. Die dünne orange Linie zeigt den Trainingsverlauf, die blaue Linie mit Punkten die Messung am
Ende jeder Epoche auf den Testziffern, die das Netz nicht zum Lernen bekommt; Kapitel 3 erklärt beide
genau.
Mit **»Zoom der Kurven«** vergrößern Sie den interessanten Bereich nahe Verlust 0 und Genauigkeit 100 %.

Das *fertige Ergebnis* wurde mit exakt denselben Einstellungen vorab trainiert und erscheint ohne
Wartezeit – ideal, um schnell weiterzulesen oder Ihren eigenen Lauf damit zu vergleichen. Nach jedem
Lauf zeigt die App die Modellübersicht (Schichten, Formen, Parameter) und Vorhersagen für
Testziffern, falsche rot markiert.
""")

st.subheader("Wie lange dauert ein Training?")
rows = []
for name, label in [("keras_02_mnist_dense", "Dichtes Netz (200 → 60 → 10)"),
                    ("keras_04_mnist_convolutional", "Faltungsnetz"),
                    ("keras_05_mnist_batch_norm", "Faltungsnetz mit Batch-Normalisierung")]:
    spec, per_epoch = presets.PRESETS[name], estimate.epoch_seconds(name)
    rows.append({"Modell": label, "Batch-Größe": spec.batch_size, "Schritte pro Epoche": spec.steps_per_epoch,
                 "≈ Sekunden pro Epoche": de(per_epoch, 1),
                 "≈ 10 Epochen": duration(per_epoch * 10)})
views.table(rows, "chapters")   # a plain table on a phone (chrome/phone.py)
st.markdown("""
Die Zahlen gelten *auf einem freien Server* mit zwei Prozessorkernen ohne Grafikkarte, wie ihn auch
die kostenlose Streamlit Community Cloud bereitstellt. Dichte Netze sind also in Sekunden fertig,
Faltungsnetze brauchen einige Minuten. Trainieren viele Menschen zugleich, dauert es länger: Neben
»Trainieren« nennt die App deshalb zwei Zahlen – die Zeit auf einem freien Server und, getrennt davon,
womit Sie *jetzt* rechnen müssen (die Läufe vor Ihnen in der Warteschlange und wie ausgelastet der
Server gerade ist). Wer es eilig hat, nimmt den **»Schnellmodus«** oder weniger **»Epochen«**; die
Kurven zeigen auch dann schon deutlich, worauf es in der Übung ankommt.

Der erste Lauf nach einer Pause von mehr als fünf Minuten beginnt einige Sekunden später als die folgenden,
auf einem ausgelasteten Server auch noch deutlich mehr: Die App
trainiert in einem eigenen Hintergrundprozess, der nach einer solchen Pause endet und beim nächsten Lauf
zuerst TensorFlow (die Rechenbibliothek unter Keras) neu laden muss. Dafür gibt er beim Beenden seinen
Speicher frei – TensorFlow behält sonst von jedem trainierten Modell etwas
zurück, und ein Server, auf dem viele Menschen trainieren, liefe irgendwann voll.
""")

st.subheader("Tipps für Workshops und Kurse")
st.markdown("""
- **Alle teilen sich eine Trainings-Warteschlange.** Der Server trainiert nur so viele Läufe
  gleichzeitig, wie seine Prozessorkerne und sein Speicher tragen – auf einem Rechner mit zwei Kernen,
  wie ihn die Streamlit Community Cloud bietet, nur einen. Wer warten muss, sieht seinen Platz in der Schlange statt
  einer eingefrorenen Seite. Jede Person kann höchstens zwei Läufe gleichzeitig warten lassen.
- **Gleiche Einstellungen werden nur einmal trainiert.** Startet jemand einen Lauf, den ein anderer
  schon gestartet oder beendet hat, bekommen beide dasselbe Ergebnis – ohne zusätzliche Rechenzeit.
  Wenn alle dieselbe Übung mit der Lösung trainieren, rechnet der Server sie also nur ein einziges Mal.
- *Bei vielen Teilnehmenden* lohnt es sich, für die Faltungsnetze mit **»Fertiges Ergebnis
  ansehen«** oder dem **»Schnellmodus«** zu arbeiten und nur ausgewählte Varianten live zu trainieren.
- Ihre Läufe bleiben erhalten: Wenn Sie eine Seite verlassen und zurückkommen, steht dort wieder Ihr
  letzter Lauf. Das **»Versuchsprotokoll«** sammelt alle. Einstellungen, Läufe und Ihr Fortschritt hängen
  an einem Cookie in diesem Browser: Nach dem Neuladen (F5) oder am nächsten Tag geht es dort weiter, auch
  über die einfache Adresse der App. Auf einem anderen Gerät machen Sie mit einem einmaligen Code weiter
  (Startseite, »Auf einem anderen Gerät weitermachen«).
""")

st.info("Läufe, die der Server schon trainiert hat, sind meist noch in seinem Speicher: Wer dieselbe "
        "Einstellung noch einmal trainiert – Sie selbst oder jemand anderes –, sieht das Ergebnis sofort.",
        icon=":material/info:")

page.end(chapter)
