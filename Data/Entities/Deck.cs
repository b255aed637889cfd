namespace LearnApp.Data.Entities;

public sealed class Deck
{
    public int Id { get; set; }

    public required string Title { get; set; }

    /// <summary>BCP 47 language tag of the cards' fronts, e.g. <c>el</c>.</summary>
    public required string Language { get; set; }

    public List<Card> Cards { get; set; } = [];
}
