using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LearnApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CardsByDeckIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cards_DeckId",
                table: "cards");

            migrationBuilder.CreateIndex(
                name: "IX_cards_DeckId_Id",
                table: "cards",
                columns: new[] { "DeckId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cards_DeckId_Id",
                table: "cards");

            migrationBuilder.CreateIndex(
                name: "IX_cards_DeckId",
                table: "cards",
                column: "DeckId");
        }
    }
}
