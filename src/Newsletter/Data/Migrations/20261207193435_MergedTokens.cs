using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class MergedTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MergedTokens",
                columns: table => new
                {
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: false),
                    MergedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergedTokens", x => x.Token);
                    table.ForeignKey(
                        name: "FK_MergedTokens_Subscribers_SubscriberId",
                        column: x => x.SubscriberId,
                        principalTable: "Subscribers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MergedTokens_SubscriberId",
                table: "MergedTokens",
                column: "SubscriberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MergedTokens");
        }
    }
}
