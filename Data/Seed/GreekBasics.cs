namespace LearnApp.Data.Seed;

/// <summary>Everyday Greek words with their usual English meaning: the first deck a new learner sees.</summary>
internal static class GreekBasics
{
    public const string Title = "Greek basics";
    public const string Language = "el";

    public static readonly (string Greek, string English)[] Words =
    [
        // Greetings and small words
        ("γεια", "hello / bye"), ("καλημέρα", "good morning"), ("καλησπέρα", "good evening"), ("καληνύχτα", "good night"),
        ("ναι", "yes"), ("όχι", "no"), ("ευχαριστώ", "thank you"), ("παρακαλώ", "please / you're welcome"),
        ("συγγνώμη", "sorry / excuse me"), ("αντίο", "goodbye"), ("εντάξει", "okay"), ("ίσως", "maybe"),
        ("και", "and"), ("ή", "or"), ("αλλά", "but"), ("με", "with"), ("χωρίς", "without"), ("για", "for"),
        ("από", "from"), ("σε", "in / to / at"), ("πολύ", "very / much"), ("λίγο", "a little"), ("εδώ", "here"),
        ("εκεί", "there"), ("τώρα", "now"), ("σήμερα", "today"), ("αύριο", "tomorrow"), ("χθες", "yesterday"),
        ("πάντα", "always"), ("ποτέ", "never"), ("μετά", "after"), ("πριν", "before"), ("ακόμα", "still / yet"),
        ("μόνο", "only"), ("επίσης", "also"),
        // Questions and pronouns
        ("τι", "what"), ("ποιος", "who"), ("πού", "where"), ("πότε", "when"), ("γιατί", "why / because"),
        ("πώς", "how"), ("πόσο", "how much"), ("εγώ", "I"), ("εσύ", "you (singular)"), ("αυτός", "he"),
        ("αυτή", "she"), ("αυτό", "it / this"), ("εμείς", "we"), ("εσείς", "you (plural)"), ("αυτοί", "they"),
        // Numbers
        ("ένα", "one"), ("δύο", "two"), ("τρία", "three"), ("τέσσερα", "four"), ("πέντε", "five"), ("έξι", "six"),
        ("επτά", "seven"), ("οκτώ", "eight"), ("εννέα", "nine"), ("δέκα", "ten"), ("είκοσι", "twenty"),
        ("εκατό", "hundred"), ("χίλια", "thousand"),
        // People and family
        ("άνθρωπος", "person"), ("άντρας", "man"), ("γυναίκα", "woman / wife"), ("παιδί", "child"),
        ("αγόρι", "boy"), ("κορίτσι", "girl"), ("μητέρα", "mother"), ("πατέρας", "father"), ("αδελφός", "brother"),
        ("αδελφή", "sister"), ("γιος", "son"), ("κόρη", "daughter"), ("φίλος", "friend"), ("οικογένεια", "family"),
        ("γιαγιά", "grandmother"), ("παππούς", "grandfather"), ("δάσκαλος", "teacher"), ("γιατρός", "doctor"),
        ("μαθητής", "pupil"), ("γείτονας", "neighbour"),
        // Home and things
        ("σπίτι", "house / home"), ("δωμάτιο", "room"), ("πόρτα", "door"), ("παράθυρο", "window"),
        ("τραπέζι", "table"), ("καρέκλα", "chair"), ("κρεβάτι", "bed"), ("κουζίνα", "kitchen"), ("κλειδί", "key"),
        ("βιβλίο", "book"), ("τηλέφωνο", "telephone"), ("υπολογιστής", "computer"), ("λεφτά", "money"),
        ("ρούχα", "clothes"), ("παπούτσια", "shoes"), ("τσάντα", "bag"), ("ρολόι", "clock / watch"),
        ("εφημερίδα", "newspaper"), ("γράμμα", "letter"), ("δώρο", "gift"),
        // Food and drink
        ("νερό", "water"), ("ψωμί", "bread"), ("κρασί", "wine"), ("μπίρα", "beer"), ("καφές", "coffee"),
        ("τσάι", "tea"), ("γάλα", "milk"), ("τυρί", "cheese"), ("κρέας", "meat"), ("ψάρι", "fish"),
        ("κοτόπουλο", "chicken"), ("αυγό", "egg"), ("φρούτο", "fruit"), ("μήλο", "apple"), ("πορτοκάλι", "orange"),
        ("ντομάτα", "tomato"), ("πατάτα", "potato"), ("ελιά", "olive"), ("λάδι", "oil"), ("αλάτι", "salt"),
        ("ζάχαρη", "sugar"), ("φαγητό", "food"), ("πρωινό", "breakfast"), ("μεσημεριανό", "lunch"),
        ("βραδινό", "dinner"), ("λογαριασμός", "bill"),
        // Places and travel
        ("πόλη", "city"), ("χωριό", "village"), ("δρόμος", "road / street"), ("θάλασσα", "sea"),
        ("παραλία", "beach"), ("βουνό", "mountain"), ("νησί", "island"), ("σχολείο", "school"),
        ("νοσοκομείο", "hospital"), ("εστιατόριο", "restaurant"), ("ξενοδοχείο", "hotel"), ("αγορά", "market"),
        ("εκκλησία", "church"), ("σταθμός", "station"), ("αεροδρόμιο", "airport"), ("λιμάνι", "harbour"),
        ("αυτοκίνητο", "car"), ("λεωφορείο", "bus"), ("τρένο", "train"), ("πλοίο", "ship"),
        ("αεροπλάνο", "aeroplane"), ("εισιτήριο", "ticket"), ("χώρα", "country"), ("κόσμος", "world / people"),
        // Time and nature
        ("μέρα", "day"), ("νύχτα", "night"), ("πρωί", "morning"), ("βράδυ", "evening"), ("ώρα", "hour / time"),
        ("λεπτό", "minute"), ("εβδομάδα", "week"), ("μήνας", "month"), ("χρόνος", "year / time"),
        ("καλοκαίρι", "summer"), ("χειμώνας", "winter"), ("άνοιξη", "spring"), ("φθινόπωρο", "autumn"),
        ("ήλιος", "sun"), ("φεγγάρι", "moon"), ("ουρανός", "sky"), ("βροχή", "rain"), ("αέρας", "wind / air"),
        ("δέντρο", "tree"), ("λουλούδι", "flower"), ("σκύλος", "dog"), ("γάτα", "cat"), ("πουλί", "bird"),
        // Body
        ("κεφάλι", "head"), ("μάτι", "eye"), ("αυτί", "ear"), ("στόμα", "mouth"), ("χέρι", "hand / arm"),
        ("πόδι", "foot / leg"), ("καρδιά", "heart"),
        // Verbs
        ("είμαι", "I am"), ("έχω", "I have"), ("θέλω", "I want"), ("μπορώ", "I can"), ("πάω", "I go"),
        ("έρχομαι", "I come"), ("τρώω", "I eat"), ("πίνω", "I drink"), ("βλέπω", "I see"), ("ακούω", "I hear"),
        ("μιλάω", "I speak"), ("λέω", "I say"), ("ξέρω", "I know"), ("καταλαβαίνω", "I understand"),
        ("αγαπώ", "I love"), ("μένω", "I live / I stay"), ("δουλεύω", "I work"), ("διαβάζω", "I read / I study"),
        ("γράφω", "I write"), ("κάνω", "I do / I make"), ("παίρνω", "I take"), ("δίνω", "I give"),
        ("αγοράζω", "I buy"), ("πληρώνω", "I pay"), ("ανοίγω", "I open"), ("κλείνω", "I close"),
        ("περιμένω", "I wait"), ("ψάχνω", "I look for"), ("βρίσκω", "I find"), ("κοιμάμαι", "I sleep"),
        ("ξυπνάω", "I wake up"), ("τρέχω", "I run"), ("περπατάω", "I walk"), ("μαθαίνω", "I learn"),
        ("θυμάμαι", "I remember"), ("ξεχνάω", "I forget"), ("βοηθάω", "I help"), ("ρωτάω", "I ask"),
        ("απαντάω", "I answer"), ("παίζω", "I play"),
        // Adjectives
        ("καλός", "good"), ("κακός", "bad"), ("μεγάλος", "big"), ("μικρός", "small"), ("καινούργιος", "new"),
        ("παλιός", "old (thing)"), ("νέος", "young / new"), ("ωραίος", "nice / beautiful"), ("ζεστός", "hot / warm"),
        ("κρύος", "cold"), ("εύκολος", "easy"), ("δύσκολος", "difficult"), ("γρήγορος", "fast"), ("αργός", "slow"),
        ("ακριβός", "expensive"), ("φτηνός", "cheap"), ("άσπρος", "white"), ("μαύρος", "black"),
        ("κόκκινος", "red"), ("πράσινος", "green"), ("μπλε", "blue"), ("κίτρινος", "yellow"),
        ("χαρούμενος", "happy"), ("κουρασμένος", "tired"), ("ανοιχτός", "open"), ("κλειστός", "closed"),
        ("πρώτος", "first"), ("τελευταίος", "last"), ("όλος", "all / whole"), ("άλλος", "other"),
    ];
}
