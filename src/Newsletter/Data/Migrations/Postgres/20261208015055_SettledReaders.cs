using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SettledReaders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "settledreaders",
                columns: table => new
                {
                    subscriberid = table.Column<long>(type: "bigint", nullable: false),
                    uptoissueid = table.Column<long>(type: "bigint", nullable: false),
                    choiceupdatedat = table.Column<long>(type: "bigint", nullable: false),
                    topicsstamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settledreaders", x => x.subscriberid);
                    table.ForeignKey(
                        name: "FK_settledreaders_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "settledreaders");
        }
    }
}
