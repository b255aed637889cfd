namespace LearnApp.Data.Seed;

/// <summary>A short second deck: phrases a traveller needs on day one.</summary>
internal static class GreekPhrases
{
    public const string Title = "Greek travel phrases";
    public const string Language = "el";

    public static readonly (string Greek, string English)[] Phrases =
    [
        ("Τι κάνεις;", "How are you?"), ("Καλά, ευχαριστώ.", "Fine, thank you."), ("Πώς σε λένε;", "What is your name?"),
        ("Με λένε Μαρία.", "My name is Maria."), ("Χάρηκα πολύ.", "Nice to meet you."),
        ("Μιλάτε αγγλικά;", "Do you speak English?"), ("Δεν καταλαβαίνω.", "I don't understand."),
        ("Πόσο κάνει;", "How much is it?"), ("Πού είναι η τουαλέτα;", "Where is the toilet?"),
        ("Τον λογαριασμό, παρακαλώ.", "The bill, please."), ("Ένα νερό, παρακαλώ.", "A water, please."),
        ("Βοήθεια!", "Help!"), ("Καλό ταξίδι!", "Have a good trip!"), ("Στην υγειά μας!", "Cheers!"),
        ("Τα λέμε αύριο.", "See you tomorrow."), ("Καλή όρεξη!", "Enjoy your meal!"),
    ];
}
