using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImapSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_MailAccountId",
                table: "Messages");

            migrationBuilder.AddColumn<long>(
                name: "ImapUid",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ImapUidValidity",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReplyToMessageId",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SeenChangePending",
                table: "Messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "ConnectedAt",
                table: "MailAccounts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FolderSyncStates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MailAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Folder = table.Column<int>(type: "INTEGER", nullable: false),
                    ServerName = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    UidValidity = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUid = table.Column<long>(type: "INTEGER", nullable: false),
                    HighestModSeq = table.Column<long>(type: "INTEGER", nullable: false),
                    InitialSyncDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    InitialTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    InitialStored = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSyncAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastErrorKind = table.Column<int>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastErrorAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FolderSyncStates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FolderSyncStates_MailAccounts_MailAccountId",
                        column: x => x.MailAccountId,
                        principalTable: "MailAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_MailAccountId_Folder_ImapUid",
                table: "Messages",
                columns: new[] { "MailAccountId", "Folder", "ImapUid" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ReplyToMessageId",
                table: "Messages",
                column: "ReplyToMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_FolderSyncStates_MailAccountId_Folder",
                table: "FolderSyncStates",
                columns: new[] { "MailAccountId", "Folder" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FolderSyncStates");

            migrationBuilder.DropIndex(
                name: "IX_Messages_MailAccountId_Folder_ImapUid",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_ReplyToMessageId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ImapUid",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ImapUidValidity",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ReplyToMessageId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "SeenChangePending",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ConnectedAt",
                table: "MailAccounts");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_MailAccountId",
                table: "Messages",
                column: "MailAccountId");
        }
    }
}
