using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimsOwnedByEngineLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_SenderLease",
                table: "SenderLease");

            migrationBuilder.DeleteData(
                table: "SenderLease",
                keyColumn: "Id",
                keyValue: 1);

            migrationBuilder.RenameTable(
                name: "SenderLease",
                newName: "SenderLeases");

            migrationBuilder.AddColumn<string>(
                name: "PauseReason",
                table: "Issues",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimedBy",
                table: "Deliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Owner",
                table: "SenderLeases",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "ExpiresAt",
                table: "SenderLeases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_SenderLeases",
                table: "SenderLeases",
                column: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_SenderLeases",
                table: "SenderLeases");

            migrationBuilder.DropColumn(
                name: "PauseReason",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Deliveries");

            migrationBuilder.RenameTable(
                name: "SenderLeases",
                newName: "SenderLease");

            migrationBuilder.AlterColumn<string>(
                name: "Owner",
                table: "SenderLease",
                type: "TEXT",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<long>(
                name: "ExpiresAt",
                table: "SenderLease",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SenderLease",
                table: "SenderLease",
                column: "Id");

            migrationBuilder.InsertData(
                table: "SenderLease",
                columns: new[] { "Id", "ExpiresAt", "IssueId", "Owner" },
                values: new object[] { 1, null, null, null });
        }
    }
}
