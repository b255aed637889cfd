namespace LearnApp.Data.Entities;

public sealed class Card
{
    public int Id { get; set; }

    public int DeckId { get; set; }

    public Deck? Deck { get; set; }

    public required string Front { get; set; }

    public required string Back { get; set; }
}
