"""Chapter 15: summary of the course."""
from tutorial.questions.model import Option, Question

QUESTIONS = {
    "after_summary": (
        Question(
            id="ch15.overfitting",
            prompt="Welches Werkzeug dieses Kurses hat gegen Überanpassung geholfen?",
            options=(
                Option("Dropout", True, "Richtig: Beim Faltungsnetz (Kapitel 12) blieb der Validierungsverlust "
                                        "mit Dropout nahe an seinem Tiefpunkt, statt deutlich wieder zu steigen."),
                Option("Eine höhere Lernrate", False,
                       "Eine höhere Lernrate macht die Kurven eher unruhiger (Kapitel 8). Gegen Überanpassung "
                       "half Dropout."),
                Option("Mehr Epochen", False, "Mehr Epochen geben einem Netz eher mehr Gelegenheit, sich den "
                                              "Trainingsziffern anzupassen."),
            ),
        ),
        Question(
            id="ch15.relu",
            prompt="Was brachte das Training tiefer dichter Netze in Kapitel 7 überhaupt erst in Gang?",
            options=(
                Option("Mehr Trainingsziffern", False, "Alle Läufe des Kurses verwenden dieselben 60.000 "
                                                       "Trainingsziffern."),
                Option("relu statt sigmoid und Adam statt SGD", True,
                       "Richtig: relu reicht den Gradienten unverändert weiter, Adam rollt mit Schwung über "
                       "flache Stellen."),
                Option("Batch-Normalisierung", False, "Die kam erst in Kapitel 13 dazu – da lernten die Netze "
                                                      "längst gut."),
            ),
        ),
    ),
}
