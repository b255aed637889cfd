using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Data;

/// <summary>
/// The one LearnApp model. Each provider has a derived context of its own only so that each keeps its own
/// migrations (EF's recipe for one model on several providers); the model itself is defined here once.
/// </summary>
public abstract class LearnAppDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Deck> Decks => Set<Deck>();

    public DbSet<Card> Cards => Set<Card>();

    public DbSet<CardReviewState> CardReviewStates => Set<CardReviewState>();

    public DbSet<Review> Reviews => Set<Review>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<Rating> Ratings => Set<Rating>();

    public DbSet<DeckImpression> DeckImpressions => Set<DeckImpression>();

    public DbSet<SpeakingAttempt> SpeakingAttempts => Set<SpeakingAttempt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.Email).HasMaxLength(256);
            user.Property(u => u.NormalizedEmail).HasMaxLength(256);
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
            user.Property(u => u.DisplayName).HasMaxLength(100);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
        });

        modelBuilder.Entity<Deck>(deck =>
        {
            deck.ToTable("decks");
            deck.Property(d => d.Title).HasMaxLength(200);
            deck.HasIndex(d => d.Title).IsUnique();
            deck.Property(d => d.Language).HasMaxLength(35);
        });

        modelBuilder.Entity<Card>(card =>
        {
            card.ToTable("cards");
            card.Property(c => c.Front).HasMaxLength(200);
            card.Property(c => c.Back).HasMaxLength(200);
            card.HasOne(c => c.Deck).WithMany(d => d.Cards).HasForeignKey(c => c.DeckId);
            // Never-reviewed due cards are read in card order within a deck: walking this index stops after `take`.
            card.HasIndex(c => new { c.DeckId, c.Id });
        });

        modelBuilder.Entity<CardReviewState>(state =>
        {
            state.ToTable("card_review_states");
            state.HasKey(s => new { s.UserId, s.CardId });
            // "Due cards of this user in this deck, soonest first" is the hottest query.
            state.HasIndex(s => new { s.UserId, s.DeckId, s.DueAt });
            state.HasOne<User>().WithMany().HasForeignKey(s => s.UserId);
            state.HasOne<Card>().WithMany().HasForeignKey(s => s.CardId);
        });

        modelBuilder.Entity<Review>(review =>
        {
            review.ToTable("reviews");
            review.HasIndex(r => new { r.UserId, r.ReviewedAt });
            review.HasOne<User>().WithMany().HasForeignKey(r => r.UserId);
            review.HasOne<Card>().WithMany().HasForeignKey(r => r.CardId);
        });

        modelBuilder.Entity<Job>(job =>
        {
            job.ToTable("jobs");
            job.Property(j => j.Type).HasMaxLength(64);
            job.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.ExecutedBy).HasMaxLength(200);
            job.Property(j => j.DispatchedTo).HasMaxLength(16);
            job.Property(j => j.TraceParent).HasMaxLength(64);
            // The sweeper looks for unfinished jobs by status and age.
            job.HasIndex(j => new { j.Status, j.DispatchedAt });
            job.HasIndex(j => j.UserId);
        });

        modelBuilder.Entity<Rating>(rating =>
        {
            rating.ToTable("ratings");
            rating.HasKey(r => r.UserId);
            rating.HasIndex(r => r.Score);
            rating.HasOne<User>().WithMany().HasForeignKey(r => r.UserId);
        });

        modelBuilder.Entity<DeckImpression>(impression =>
        {
            impression.ToTable("deck_impressions");
            impression.HasKey(i => i.DeckId);
            impression.HasOne<Deck>().WithMany().HasForeignKey(i => i.DeckId);
        });

        modelBuilder.Entity<SpeakingAttempt>(attempt =>
        {
            attempt.ToTable("speaking_attempts");
            attempt.HasOne<User>().WithMany().HasForeignKey(a => a.UserId);
            attempt.HasOne<Card>().WithMany().HasForeignKey(a => a.CardId);
        });
    }
}
