using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Data.Seed;

/// <summary>Adds the built-in decks that are missing; running it again changes nothing.</summary>
public static class DataSeeder
{
    public static async Task SeedAsync(LearnAppDbContext db, CancellationToken cancellationToken = default)
    {
        await AddDeckIfMissingAsync(db, GreekBasics.Title, GreekBasics.Language, GreekBasics.Words, cancellationToken);
        await AddDeckIfMissingAsync(db, GreekPhrases.Title, GreekPhrases.Language, GreekPhrases.Phrases, cancellationToken);
    }

    private static async Task AddDeckIfMissingAsync(
        LearnAppDbContext db, string title, string language, (string Front, string Back)[] cards, CancellationToken cancellationToken)
    {
        if (await db.Decks.AnyAsync(d => d.Title == title, cancellationToken))
        {
            return;
        }

        db.Decks.Add(new Deck
        {
            Title = title,
            Language = language,
            Cards = [.. cards.Select(c => new Card { Front = c.Front, Back = c.Back })],
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
