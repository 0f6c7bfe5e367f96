"""Chapter 14: stronger hardware and tf.distribute."""
from tutorial.questions.model import Option, Question

QUESTIONS = {
    "after_hardware": (
        Question(
            id="ch14.gpu",
            prompt="Warum trainiert eine Grafikkarte ein neuronales Netz so viel schneller als ein Hauptprozessor?",
            options=(
                Option("Sie hat Tausende einfacher Rechenwerke, die die vielen unabhängigen Multiplikationen "
                       "parallel ausführen.", True,
                       "Richtig: Matrixmultiplikationen und Faltungen bestehen aus sehr vielen voneinander "
                       "unabhängigen Rechnungen – genau das, was parallele Rechenwerke gut können."),
                Option("Sie rechnet mit genaueren Zahlen.", False,
                       "Genauer ist sie nicht; sie ist schneller, weil sie viele Rechnungen gleichzeitig "
                       "erledigt."),
                Option("Sie braucht weniger Trainingsschritte.", False,
                       "Die Zahl der Schritte hängt von Daten, Batch-Größe und Epochen ab, nicht von der "
                       "Hardware. Jeder Schritt ist auf der Grafikkarte nur schneller gerechnet."),
            ),
        ),
    ),
    "after_distribute": (
        Question(
            id="ch14.mirrored",
            prompt="Was macht tf.distribute.MirroredStrategy mit einem Modell auf mehreren Grafikkarten?",
            options=(
                Option("Jede Karte bekommt eine Kopie des Modells und einen Teil jedes Batches; die Gradienten "
                       "werden nach jedem Schritt zusammengeführt.", True,
                       "Richtig: So bleiben alle Kopien gleich, und jeder Batch wird auf die Geräte aufgeteilt."),
                Option("Jede Karte trainiert ein eigenes Modell, am Ende wird das beste genommen.", False,
                       "Nein – die Kopien bleiben nach jedem Schritt gleich, weil die Gradienten aller Karten "
                       "zusammengeführt werden."),
                Option("Das Modell wird schichtweise auf die Karten verteilt.", False,
                       "Diese Strategie teilt nicht das Modell, sondern die Daten: Jede Karte hat das ganze "
                       "Modell und rechnet einen Teil des Batches."),
            ),
        ),
    ),
}
