using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SyncLeaseHolder",
                table: "MailAccounts",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SyncLeaseUntil",
                table: "MailAccounts",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SyncLeaseHolder",
                table: "MailAccounts");

            migrationBuilder.DropColumn(
                name: "SyncLeaseUntil",
                table: "MailAccounts");
        }
    }
}
